namespace Supervision;

/// <summary>The worker's monitors: those placed on it (fired at its exit) and those it placed on others (removed at its exit).</summary>
public abstract partial class Worker<TMessage>
{
    /// <summary>The monitors on this worker, made on first use (most workers are never monitored).</summary>
    private MonitorSet Monitors => Volatile.Read(ref _monitors) ?? Interlocked.CompareExchange(ref _monitors, new MonitorSet(), null) ?? _monitors!;

    /// <summary>The monitors this worker placed, made on first use; closed at its exit.</summary>
    private WatchedMonitors Watching => Volatile.Read(ref _watching) ?? Interlocked.CompareExchange(ref _watching, new WatchedMonitors(), null) ?? _watching!;

    /// <inheritdoc />
    public MonitorRef Monitor(Action<ProcessDown> onDown) => Monitors.Add(this, onDown);

    /// <summary>
    /// Monitors <paramref name="target"/>: when it exits, <paramref name="toMessage"/> turns the down
    /// notice into a message for this worker's own mailbox. If the target is already dead, the
    /// message is queued at once. Dropped silently if this worker has stopped by then; when this
    /// worker exits, its monitors are removed from their targets (and a monitor placed after its
    /// exit, by code a kill abandoned, is removed at once).
    /// </summary>
    protected MonitorRef Monitor(IProcess target, Func<ProcessDown, TMessage> toMessage)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(toMessage);
        var watching = Watching;
        var monitor = target is IMonitorable monitorable
            ? monitorable.Monitor(this, toMessage)
            : target.Monitor(down =>
            {
                watching.Forget(down.Ref);
                Tell(toMessage(down));
            });
        watching.Track(monitor);
        return monitor;
    }

    /// <inheritdoc />
    MonitorRef IMonitorable.Monitor(IDownListener listener, object state) => Monitors.Add(this, listener, state);

    /// <summary>A monitor placed by <see cref="Monitor(IProcess, Func{ProcessDown, TMessage})"/> on a process of this library fired.</summary>
    void IDownListener.OnDown(ProcessDown down, object state)
    {
        Volatile.Read(ref _watching)?.Forget(down.Ref);
        Tell(((Func<ProcessDown, TMessage>)state)(down));
    }

    /// <summary>
    /// Removes a monitor placed with <see cref="Monitor(IProcess, Func{ProcessDown, TMessage})"/>: no
    /// down message is queued after this returns. One already queued is still delivered, as with
    /// <c>erlang:demonitor/1</c> without <c>flush</c>: compare <see cref="ProcessDown.Ref"/> with the
    /// monitors still held to ignore it.
    /// </summary>
    protected void Demonitor(MonitorRef monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        monitor.Demonitor();
        Volatile.Read(ref _watching)?.Forget(monitor);
    }
}
