using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Supervision;

/// <summary>
/// One supervision tree as a Generic Host hosted service: starts the root with the host, stops it
/// (gracefully, then by kill at the shutdown timeout) with the host, and stops the application when
/// the root exits on its own. Semantics are documented on <see cref="SupervisionServiceCollectionExtensions.AddSupervisionTree"/>.
/// </summary>
internal sealed class SupervisionTreeService(
    IServiceProvider services,
    Func<IServiceProvider, CancellationToken, Task<IProcess>> startRoot,
    IHostApplicationLifetime lifetime,
    ILogger logger) : IHostedService, ISupervisionTree
{
    public const string LogCategory = "Supervision.Host";

    private readonly TaskCompletionSource<ExitReason> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IProcess? _root;
    private volatile bool _stopRequested;
    private volatile bool _killedByHost;
    private Task _watch = Task.CompletedTask;

    public IProcess Root => _root ?? throw new InvalidOperationException("The supervision tree has not started: the host has not started it, or its start failed.");

    public bool IsRunning => _root is { HasExited: false };

    public bool IsStopping => _stopRequested || _root is { HasExited: true };

    public Task<ExitReason> Completion => _completion.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IProcess root;
        try
        {
            root = await startRoot(services, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The supervision tree's start function returned no root process.");
        }
        catch (OperationCanceledException cancelled) when (cancellationToken.IsCancellationRequested)
        {
            // The host's start was cancelled: not the tree's failure, so no critical log.
            _completion.TrySetResult(ExitReason.Failure(cancelled));
            throw;
        }
        catch (Exception exception)
        {
            SupervisorLog.RootExited(logger, "root", ExitReason.Failure(exception), exception);
            _completion.TrySetResult(ExitReason.Failure(exception));
            throw;
        }

        _watch = WatchAsync(root);
        _root = root;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopRequested = true;
        if (_root is not { } root)
        {
            // Never started (an earlier hosted service failed, or the start was cancelled): nothing to stop.
            _completion.TrySetResult(ExitReason.Shutdown);
            return;
        }

        root.Stop(ExitReason.Shutdown);
        try
        {
            await root.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            HostLog.StopOverran(logger, root.Name);
            _killedByHost = true;

            // Kill returns once the subtree has exited, so the waits below are short.
            root.Kill();
        }

        // The exit is judged (and the exit code set) before the host goes on to end the process.
        await _watch.ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes the root's exit and judges it: a failure (also one during the host's graceful stop,
    /// say a crashing stop callback) is critical with exit code 1, as <see cref="SupervisionHost"/>
    /// judges it; the host's own kill after an overrun is not. An exit nobody asked for stops the application.
    /// </summary>
    private async Task WatchAsync(IProcess root)
    {
        // Off the exiting thread: StopApplication runs the host's stopping callbacks synchronously.
        var reason = await root.Completion.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        _completion.TrySetResult(reason);
        if (_killedByHost)
        {
            return;
        }

        var onItsOwn = !_stopRequested;
        if (RootExit.IsFailure(reason))
        {
            SupervisorLog.RootExited(logger, root.Name, reason, reason.Exception);
            Environment.ExitCode = 1;
        }
        else if (onItsOwn)
        {
            HostLog.RootStopped(logger, root.Name, reason);
        }

        if (onItsOwn)
        {
            lifetime.StopApplication();
        }
    }
}
