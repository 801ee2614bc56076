using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Supervision;

/// <summary>Runs a root supervisor as a program's body and turns its fate into an exit code.</summary>
public static class SupervisionHost
{
    /// <summary>
    /// Starts the root with <paramref name="startRoot"/> and runs until <paramref name="stopRequested"/>
    /// fires (then stops the tree gracefully and returns 0, also when the stop comes during the start)
    /// or the root exits on its own. A root that gives up (<see cref="ExitReason.IsRestartIntensityExceeded"/>),
    /// crashes or fails to start is logged as critical and yields 1 — never a silent restart loop; a
    /// root that stops normally (e.g. auto-shutdown) yields 0.
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
        catch (Exception) when (stopRequested.IsCancellationRequested)
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
}
