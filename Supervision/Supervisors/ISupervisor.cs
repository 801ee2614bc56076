namespace Supervision;

/// <summary>What every supervisor answers: introspection for operators and for <see cref="SupervisorTree"/>.</summary>
public interface ISupervisor : IProcess
{
    /// <summary>A short description of the supervisor's kind, e.g. <c>one_for_one</c> or <c>dynamic</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Lists the children with state and restart count: a static supervisor in start order (OTP
    /// lists newest first); a dynamic supervisor in no defined order.
    /// Throws <see cref="ProcessExitedException"/> if the supervisor has exited. Never times out.
    /// </summary>
    Task<IReadOnlyList<ChildInfo>> WhichChildrenAsync();

    /// <summary>Counts the children as OTP's <c>count_children</c> does. Never times out.</summary>
    Task<ChildCounts> CountChildrenAsync();
}
