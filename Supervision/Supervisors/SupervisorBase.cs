using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Supervision;

/// <summary>
/// What static and dynamic supervisors share: a supervisor is a worker whose messages are child
/// exits, restart attempts and management requests, so its state is touched only by its own loop.
/// Here live the restart decision (OTP's <c>do_restart/3</c>), restart intensity, the retry of failed
/// restarts, and starting and stopping one child.
/// </summary>
public abstract class SupervisorBase : Worker<SupervisorMessage>, ISupervisor
{
    /// <summary>The children started and not yet exited, for a kill of this supervisor.</summary>
    private readonly LiveChildren _live = new();

    private readonly RestartIntensity _intensity;
    private readonly ResiliencePipeline<bool>? _backoff;
    private readonly int _maxRestarts;
    private readonly TimeSpan _period;

    private protected SupervisorBase(string name, int maxRestarts, TimeSpan period, RestartBackoff? backoff, TimeProvider timeProvider, ILoggerFactory? loggerFactory)
        : base(new WorkerOptions { Name = name, TimeProvider = timeProvider, DefaultCallTimeout = Timeout.InfiniteTimeSpan, LoggerFactory = loggerFactory })
    {
        _maxRestarts = maxRestarts;
        _period = period;
        _intensity = new RestartIntensity(maxRestarts, period, timeProvider);
        _backoff = backoff?.BuildPipeline(timeProvider);
        Logger = loggerFactory?.CreateLogger("Supervision.Supervisor") ?? NullLogger.Instance;
        Telemetry = new SupervisorTelemetry(name);
    }

    /// <inheritdoc />
    public abstract string Description { get; }

    private protected ILogger Logger { get; }

    private protected SupervisorTelemetry Telemetry { get; }

    /// <summary>The children in start order.</summary>
    private protected abstract IEnumerable<ChildRecord> Children { get; }

    /// <inheritdoc />
    public Task<IReadOnlyList<ChildInfo>> WhichChildrenAsync() =>
        RequestAsync<IReadOnlyList<ChildInfo>>(_ => ValueTask.FromResult<IReadOnlyList<ChildInfo>>(Children.Select(c => c.ToInfo()).ToList()));

    /// <inheritdoc />
    public Task<ChildCounts> CountChildrenAsync() => RequestAsync(_ => ValueTask.FromResult(ChildCounts.Of(Children)));

    /// <inheritdoc />
    protected sealed override async ValueTask HandleAsync(SupervisorMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            // A stale exit (of a child this supervisor already stopped or replaced) is ignored.
            case ChildExited exited when ReferenceEquals(exited.Child.Process, exited.Process):
                await OnChildExitedAsync(exited.Child, exited.Process, exited.Reason, cancellationToken).ConfigureAwait(false);
                break;
            case RetryRestart retry:
                await OnRetryAsync(retry, cancellationToken).ConfigureAwait(false);
                break;
            case SupervisorRequest request:
                await request.Operation(cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Runs <paramref name="operation"/> on the supervisor's loop and returns its result or rethrows its exception. Never times out, as OTP's supervisor calls.</summary>
    private protected Task<T> RequestAsync<T>(Func<CancellationToken, ValueTask<T>> operation)
    {
        // The caller's activity, so that a child started on its behalf is traced under it, not under the loop's starter.
        var caller = SupervisionActivities.Source.HasListeners() ? Activity.Current : null;
        return CallAsync<T>(
            reply => new SupervisorRequest(async cancellationToken =>
            {
                if (Activity.Current != caller)
                {
                    Activity.Current = caller;
                }

                try
                {
                    reply.Send(await operation(cancellationToken).ConfigureAwait(false));
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // This supervisor was killed meanwhile: the caller is told of the exit, not of this abandoned operation.
                }
                catch (Exception exception)
                {
                    reply.Fail(exception);
                }
            }),
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Restarts <paramref name="child"/> by the strategy; returns the child whose start failed (now restarting), or null.</summary>
    private protected abstract Task<ChildRecord?> RestartByStrategyAsync(ChildRecord child, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="child"/> is still one of this supervisor's children.</summary>
    private protected abstract bool IsChild(ChildRecord child);

    /// <summary>Forgets <paramref name="child"/> entirely.</summary>
    private protected abstract void RemoveChild(ChildRecord child);

    /// <summary>A child exited and is not restarted: keep or drop its record, and apply auto-shutdown.</summary>
    private protected abstract void OnChildNotRestarted(ChildRecord child, ExitReason reason);

    /// <summary>
    /// Starts a new incarnation of <paramref name="child"/>, begins watching it and registers its
    /// <see cref="ChildSpec.RegisterAs"/> name. Returns it, or null if the start function said "ignore".
    /// </summary>
    /// <exception cref="ChildStartException">The start function threw, or the child's name is held by
    /// another live process (then the new incarnation is stopped and the cause is a
    /// <see cref="SupervisorException"/> <see cref="SupervisorError.AlreadyStarted"/> naming the holder);
    /// logged as <c>start_error</c>.</exception>
    private protected async Task<IProcess?> StartChildProcessAsync(ChildRecord child, bool isRestart, CancellationToken cancellationToken)
    {
        IProcess? process;
        using var activity = Telemetry.StartChildStart(child);
        try
        {
            process = await child.Spec.Start(cancellationToken).ConfigureAwait(false);
            if (process is not null)
            {
                Watch(child, process);
                await ChildRegistration.RegisterAsync(child, process, TimeProvider).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A start cancelled with this supervisor's own start, or by its kill, is not the child's failure: it propagates.
            var cause = exception is NameTakenException taken
                ? new SupervisorException(SupervisorError.AlreadyStarted, Name, child.Spec.Id, taken.Holder)
                : exception;
            SupervisorLog.StartError(Logger, Name, child, cause);
            SupervisorTelemetry.ChildStartFailed(activity, cause);
            throw new ChildStartException(Name, child.Spec.Id, cause);
        }

        SupervisorTelemetry.ChildStarted(activity, process);

        child.Restarting = false;
        child.Process = process;
        if (isRestart)
        {
            child.RestartCount++;
        }

        if (process is null)
        {
            return null;
        }

        child.LastProcessId = process.Id;
        ReportStarted(child, process);
        return process;
    }

    /// <summary>
    /// Stops <paramref name="child"/> by its shutdown policy, if it runs, and clears its restarting
    /// flag. An exit reason OTP would not expect (a kill after the timeout included) is reported as
    /// <c>shutdown_error</c>; the stop completes anyway. <paramref name="abandon"/> ends the wait: this
    /// supervisor was killed, and its kill has already killed the child.
    /// </summary>
    private protected async Task ShutdownChildAsync(ChildRecord child, CancellationToken abandon)
    {
        child.Restarting = false;
        if (child.Process is not { } process)
        {
            return;
        }

        child.Process = null;
        var reason = await ChildShutdown.StopAsync(process, child.Spec.EffectiveShutdown, TimeProvider, abandon).ConfigureAwait(false);
        if (!ChildShutdown.IsExpected(reason, child.Spec))
        {
            SupervisorLog.ShutdownError(Logger, Name, child, process.Id, reason);
            Telemetry.ShutdownError();
        }
    }

    /// <summary>
    /// Stops <paramref name="children"/> one at a time, last first, each by its policy. If
    /// <paramref name="abandon"/> fires meanwhile (a kill, or a cancelled start), every child still
    /// alive is killed instead of waited for.
    /// </summary>
    private protected async Task ShutdownInReverseAsync(IReadOnlyList<ChildRecord> children, CancellationToken abandon)
    {
        try
        {
            for (var i = children.Count - 1; i >= 0; i--)
            {
                await ShutdownChildAsync(children[i], abandon).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            _live.KillAll();
        }
    }

    /// <summary>Kills every child that has not exited yet: this supervisor was killed, and its subtree is gone before its exit is visible.</summary>
    protected sealed override void OnKilled() => _live.KillAll();

    private protected virtual void ReportStarted(ChildRecord child, IProcess process) =>
        SupervisorLog.ChildStarted(Logger, Name, child.Spec.Id, process.Id);

    private static bool ShouldRestart(RestartType restart, ExitReason reason) => restart switch
    {
        RestartType.Permanent => true,
        RestartType.Transient => reason.IsAbnormal,
        _ => false,
    };

    /// <summary>Counts <paramref name="process"/> as live until it exits, and turns its exit into a message to this supervisor.</summary>
    private void Watch(ChildRecord child, IProcess process)
    {
        if (!_live.TryAdd(process))
        {
            // This supervisor was killed while the child started: the child goes with it.
            process.Kill();
            throw new OperationCanceledException($"{Name} was killed while {child.Spec.Id} started");
        }

        Telemetry.ChildUp();

        // A monitor, not the child's cooperation: a child that exits any way at all is seen.
        if (process is IMonitorable monitorable)
        {
            monitorable.Monitor(child, this);
        }
        else
        {
            process.Monitor(down => OnChildDown(child, down));
        }
    }

    /// <summary>A child's process exited (on its thread): it no longer counts as live, and the exit becomes a message to this supervisor.</summary>
    internal void OnChildDown(ChildRecord child, ProcessDown down)
    {
        _live.Remove(down.Process);
        Telemetry.ChildDown();
        Tell(new ChildExited(child, down.Process, down.Reason));
    }

    private async ValueTask OnChildExitedAsync(ChildRecord child, IProcess process, ExitReason reason, CancellationToken cancellationToken)
    {
        child.Process = null;
        child.LastExitReason = reason;
        using var activity = Telemetry.StartChildExit(child, reason);
        if (reason.IsAbnormal)
        {
            Telemetry.Crash(child);
        }

        // OTP reports child_terminated for every exit it restarts and for abnormal exits of temporary children.
        if (reason.IsAbnormal || child.Spec.Restart == RestartType.Permanent)
        {
            SupervisorLog.ChildTerminated(Logger, Name, child, process.Id, reason);
        }
        else
        {
            SupervisorLog.ChildExited(Logger, Name, child.Spec.Id, process.Id, reason);
        }

        if (!ShouldRestart(child.Spec.Restart, reason))
        {
            OnChildNotRestarted(child, reason);
            return;
        }

        if (!TryRecordRestart(child, reason))
        {
            return;
        }

        var failed = await RestartAsync(child, retry: false, cancellationToken).ConfigureAwait(false);
        if (failed is not null)
        {
            ScheduleRetry(failed);
        }
    }

    /// <summary>Restarts by the strategy, traced; returns the child whose start failed, or null.</summary>
    private async Task<ChildRecord?> RestartAsync(ChildRecord child, bool retry, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.StartRestart(child, retry);
        var failed = await RestartByStrategyAsync(child, cancellationToken).ConfigureAwait(false);
        SupervisorTelemetry.Restarted(activity, failed);
        return failed;
    }

    private async ValueTask OnRetryAsync(RetryRestart retry, CancellationToken cancellationToken)
    {
        var child = retry.Child;
        if (!child.Restarting || !IsChild(child) || IsStopRequested)
        {
            retry.AnotherAttemptWanted?.Send(false);
            return;
        }

        // Each attempt is a restart and counts against intensity (OTP-9549).
        if (!TryRecordRestart(child, child.LastExitReason ?? ExitReason.Normal))
        {
            retry.AnotherAttemptWanted?.Send(false);
            return;
        }

        var failed = await RestartAsync(child, retry: true, cancellationToken).ConfigureAwait(false);
        if (retry.AnotherAttemptWanted is { } anotherAttemptWanted)
        {
            anotherAttemptWanted.Send(ReferenceEquals(failed, child));
            if (ReferenceEquals(failed, child))
            {
                return;
            }
        }

        if (failed is not null)
        {
            ScheduleRetry(failed);
        }
    }

    private bool TryRecordRestart(ChildRecord child, ExitReason reason)
    {
        if (_intensity.TryAddRestart())
        {
            Telemetry.Restart(child);
            SupervisorLog.ChildRestarting(Logger, Name, child.Spec.Id, child.RestartCount + 1);
            return true;
        }

        SupervisorLog.GaveUp(Logger, Name, _maxRestarts, _period, child, reason);
        Telemetry.GaveUp(child, reason);
        RemoveChild(child);

        // OTP exits with plain shutdown (a transient parent does not restart it); the cause tells a host it gave up.
        Stop(ExitReason.ReachedMaxRestartIntensity(new RestartIntensityExceededException(Name, child.Spec.Id, _maxRestarts, _period, reason)));
        return false;
    }

    /// <summary>
    /// Queues another attempt for a child whose restart failed. Without backoff it comes after the
    /// messages already queued, so stop and introspection requests get in between (OTP's
    /// <c>try_again_restart</c>); with backoff a Polly pipeline waits out each delay off the loop.
    /// </summary>
    private void ScheduleRetry(ChildRecord child)
    {
        child.Restarting = true;
        if (_backoff is null)
        {
            Tell(new RetryRestart(child, null));
            return;
        }

        _ = RetryWithBackoffAsync(_backoff, child);
    }

    private async Task RetryWithBackoffAsync(ResiliencePipeline<bool> backoff, ChildRecord child)
    {
        // The failed attempt already happened on the loop: the first outcome only starts the first delay.
        var attemptedAlready = true;
        try
        {
            await backoff.ExecuteAsync(
                async cancellationToken =>
                {
                    if (attemptedAlready)
                    {
                        attemptedAlready = false;
                        return true;
                    }

                    return await CallAsync<bool>(reply => new RetryRestart(child, reply), Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                },
                Stopping).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The supervisor stopped: its shutdown handles the child.
        }
    }
}
