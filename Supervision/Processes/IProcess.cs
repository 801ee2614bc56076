namespace Supervision;

/// <summary>
/// A running unit of work that a supervisor can start, watch and stop: every
/// <see cref="Worker{TMessage}"/>, and therefore every supervisor. A supervisor relies only on
/// this contract, so a custom implementation must keep it exactly.
/// </summary>
public interface IProcess
{
    /// <summary>The unique identity of this incarnation; a restarted child is a new process with a new id.</summary>
    ProcessId Id { get; }

    /// <summary>A human-readable name used in logs and introspection. Not unique; see <see cref="ProcessRegistry"/> for names that are.</summary>
    string Name { get; }

    /// <summary>
    /// Completes, never faults, with the exit reason once the process has exited. Monitors have
    /// already been notified and registered names released by the time it completes.
    /// </summary>
    Task<ExitReason> Completion { get; }

    /// <summary>True once the process has exited (set before monitors are notified).</summary>
    bool HasExited { get; }

    /// <summary>
    /// Runs the process's initialisation and then lets it run. Throws what the initialisation threw;
    /// in that case the process has already exited with <see cref="ExitReason.Failure(Exception)"/>
    /// and nothing of it keeps running. May be called once.
    /// </summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the process to stop gracefully with <paramref name="reason"/> (default
    /// <see cref="ExitReason.Shutdown"/>): it accepts no further messages, finishes the one in hand,
    /// runs its stop callback and exits. Returns at once; await <see cref="Completion"/> to wait.
    /// The first stop request wins; later ones are ignored.
    /// </summary>
    void Stop(ExitReason? reason = null);

    /// <summary>
    /// Stops the process by force, OTP's <c>exit(Pid, kill)</c> as far as .NET allows: it exits at
    /// once with <see cref="ExitReason.Killed"/>, its cancellation token is cancelled, nothing more is
    /// delivered to it and no stop callback runs. Code still running inside it is not aborted
    /// (.NET cannot); it is abandoned: nothing more is delivered to it, though a reply it had
    /// already produced may still reach its caller.
    /// </summary>
    void Kill();

    /// <summary>
    /// Calls <paramref name="onDown"/> once when this process exits, with the reason. If it has
    /// already exited, calls it at once on the caller's thread. The callback runs on the exiting
    /// thread and must be short and must not throw (typically it posts a message to a mailbox).
    /// </summary>
    MonitorRef Monitor(Action<ProcessDown> onDown);
}
