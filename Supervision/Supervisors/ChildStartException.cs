namespace Supervision;

/// <summary>
/// A child's start function failed (OTP's <c>{failed_to_start_child, Id, Reason}</c> at supervisor
/// start, <c>{error, Reason}</c> from <c>start_child</c>). The cause is <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class ChildStartException : Exception
{
    /// <summary>Creates the exception for child <paramref name="childId"/> of <paramref name="supervisor"/>.</summary>
    public ChildStartException(string supervisor, string childId, Exception cause)
        : base($"{supervisor}: failed_to_start_child {childId}: {cause.Message}", cause)
    {
        Supervisor = supervisor;
        ChildId = childId;
    }

    /// <summary>The supervisor that tried to start the child.</summary>
    public string Supervisor { get; }

    /// <summary>The child that failed to start.</summary>
    public string ChildId { get; }
}
