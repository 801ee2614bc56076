namespace Supervision;

/// <summary>
/// A message in a supervisor's mailbox: a child's exit, a restart attempt or a management request.
/// Only this library creates them; use the supervisor's methods.
/// </summary>
public abstract class SupervisorMessage
{
    private protected SupervisorMessage()
    {
    }
}

/// <summary>A child process exited (delivered by the supervisor's monitor on it).</summary>
internal sealed class ChildExited(ChildRecord child, IProcess process, ExitReason reason) : SupervisorMessage
{
    public ChildRecord Child { get; } = child;

    public IProcess Process { get; } = process;

    public ExitReason Reason { get; } = reason;
}

/// <summary>
/// Try again to restart a child whose restart failed (OTP's <c>try_again_restart</c>). When the
/// attempt is driven by a backoff pipeline, <see cref="AnotherAttemptWanted"/> gets whether it failed again.
/// </summary>
internal sealed class RetryRestart(ChildRecord child, Reply<bool>? anotherAttemptWanted) : SupervisorMessage
{
    public ChildRecord Child { get; } = child;

    public Reply<bool>? AnotherAttemptWanted { get; } = anotherAttemptWanted;
}

/// <summary>A management request: an operation to run on the supervisor's loop, which replies itself.</summary>
internal sealed class SupervisorRequest(Func<CancellationToken, ValueTask> operation) : SupervisorMessage
{
    public Func<CancellationToken, ValueTask> Operation { get; } = operation;
}
