namespace Supervision;

/// <summary>A supervisor refused a management request. <see cref="Error"/> says why, as OTP's error tuple would.</summary>
public sealed class SupervisorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SupervisorException(SupervisorError error, string supervisor, string? childId, IProcess? process = null)
        : base($"{supervisor}: {Describe(error)}{(childId is null ? string.Empty : $" (child {childId})")}")
    {
        Error = error;
        ChildId = childId;
        Process = process;
    }

    /// <summary>Why the request was refused.</summary>
    public SupervisorError Error { get; }

    /// <summary>The child concerned, if any.</summary>
    public string? ChildId { get; }

    /// <summary>For <see cref="SupervisorError.AlreadyStarted"/>, the running child, or the live process that holds the child's name.</summary>
    public IProcess? Process { get; }

    private static string Describe(SupervisorError error) => error switch
    {
        SupervisorError.NotFound => "not_found",
        SupervisorError.AlreadyStarted => "already_started",
        SupervisorError.AlreadyPresent => "already_present",
        SupervisorError.Running => "running",
        SupervisorError.Restarting => "restarting",
        _ => "max_children",
    };
}
