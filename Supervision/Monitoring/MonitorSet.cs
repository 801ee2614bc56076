namespace Supervision;

/// <summary>
/// The monitors placed on one process. Thread-safe: monitors are added and removed by other
/// processes; they fire once, when the owner exits.
/// </summary>
internal sealed class MonitorSet
{
    private readonly Lock _lock = new();
    private HashSet<MonitorRef>? _monitors;
    private ExitReason? _exitReason;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _monitors?.Count ?? 0;
            }
        }
    }

    public MonitorRef Add(IProcess target, Action<ProcessDown> onDown)
    {
        ArgumentNullException.ThrowIfNull(onDown);
        var monitor = new MonitorRef(this, target, onDown);
        ExitReason? alreadyExited;
        lock (_lock)
        {
            alreadyExited = _exitReason;
            if (alreadyExited is null)
            {
                (_monitors ??= []).Add(monitor);
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
        lock (_lock)
        {
            _monitors?.Remove(monitor);
        }
    }

    public void FireAll(ExitReason reason)
    {
        HashSet<MonitorRef>? monitors;
        lock (_lock)
        {
            _exitReason = reason;
            monitors = _monitors;
            _monitors = null;
        }

        if (monitors is null)
        {
            return;
        }

        foreach (var monitor in monitors)
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
