namespace Supervision;

/// <summary>
/// The monitors placed on one process. Thread-safe: monitors are added and removed by other
/// processes; they fire once, when the owner exits.
/// </summary>
internal sealed class MonitorSet
{
    private MonitorBag _monitors;
    private ExitReason? _exitReason;

    public int Count
    {
        get
        {
            lock (this)
            {
                return _monitors.Count;
            }
        }
    }

    public MonitorRef Add(IProcess target, Action<ProcessDown> onDown)
    {
        ArgumentNullException.ThrowIfNull(onDown);
        return Add(new MonitorRef(this, target, onDown, state: null));
    }

    public MonitorRef Add(IProcess target, IDownListener listener, object state) => Add(new MonitorRef(this, target, listener, state));

    private MonitorRef Add(MonitorRef monitor)
    {
        ExitReason? alreadyExited;
        lock (this)
        {
            alreadyExited = _exitReason;
            if (alreadyExited is null)
            {
                _monitors.Add(monitor);
            }
        }

        // Like erlang:monitor/2 on a dead pid: the down notice comes at once.
        if (alreadyExited is not null)
        {
            monitor.Fire(alreadyExited);
        }

        return monitor;
    }

    public void Remove(MonitorRef monitor)
    {
        lock (this)
        {
            _monitors.Remove(monitor);
        }
    }

    public void FireAll(ExitReason reason)
    {
        MonitorBag monitors;
        lock (this)
        {
            _exitReason = reason;
            monitors = _monitors;
            _monitors = default;
        }

        if (monitors.Count == 0)
        {
            return;
        }

        foreach (var monitor in monitors.Items)
        {
            try
            {
                monitor.Fire(reason);
            }
            catch (Exception)
            {
                // A faulty callback must not keep the other watchers, or the exit itself, from happening.
            }
        }
    }
}
