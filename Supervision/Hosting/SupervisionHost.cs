using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Supervision;

/// <summary>Runs a root supervisor as a program's body and turns its fate into an exit code.</summary>
public static class SupervisionHost
{
    /// <summary>
    /// Starts the root with <paramref name="startRoot"/> and runs until <paramref name="stopRequested"/>
    /// fires (then stops the tree gracefully and returns 0) or the root exits on its own. A stop during
    /// the start cancels the start (<paramref name="stopRequested"/> is its token); a start that fails
    /// because of that stop (an <see cref="OperationCanceledException"/>, or a root that exited by a
    /// stop rather than a failure) also returns 0. A root that gives up
    /// (<see cref="ExitReason.IsRestartIntensityExceeded"/>), crashes or fails to start for a reason of
    /// its own (even while a stop was requested) is logged as critical and yields 1 — never a silent
    /// restart loop; a root that stops normally (e.g. auto-shutdown) yields 0.
    /// </summary>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<IProcess>> startRoot, CancellationToken stopRequested, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(startRoot);
        logger ??= NullLogger.Instance;
        IProcess root;
        try
        {
            root = await startRoot(stopRequested).ConfigureAwait(false);
        }
        catch (Exception exception) when (FailedBecauseOfStop(exception, stopRequested))
        {
            // Stopped while starting: what had started was stopped by the failed start; a requested stop.
            return 0;
        }
        catch (Exception exception)
        {
            SupervisorLog.RootExited(logger, "root", ExitReason.Failure(exception), exception);
            return 1;
        }

        using (stopRequested.Register(() => root.Stop(ExitReason.Shutdown)))
        {
            var reason = await root.Completion.ConfigureAwait(false);
            if (RootExit.IsFailure(reason))
            {
                SupervisorLog.RootExited(logger, root.Name, reason, reason.Exception);
                return 1;
            }

            return 0;
        }
    }

    /// <summary>
    /// Whether a failed start failed because of the requested stop, not merely while it was requested:
    /// a start that throws its own exception stays a failure, whatever the timing.
    /// </summary>
    private static bool FailedBecauseOfStop(Exception exception, CancellationToken stopRequested) =>
        stopRequested.IsCancellationRequested
        && (exception is OperationCanceledException
            || (exception is ProcessExitedException exited && !RootExit.IsFailure(exited.Reason)));
}
