namespace Supervision;

/// <summary>
/// The monitors one worker has placed on other processes, so that they are removed from their
/// targets when the worker exits. A monitor that has fired is forgotten; once the worker has exited
/// the set is closed and a monitor placed afterwards (by abandoned code of a killed worker) is removed
/// at once. Thread-safe: monitors fire on their targets' threads.
/// </summary>
internal sealed class WatchedMonitors
{
    /// <summary>The monitors placed and neither fired nor removed yet.</summary>
    private MonitorBag _monitors;

    /// <summary>The set is closed: new monitors are removed at once.</summary>
    private bool _closed;

    /// <summary>A set that is closed from the start: the stand-in of a worker that exited before it watched anything.</summary>
    public static WatchedMonitors Closed { get; } = CreateClosed();

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

    /// <summary>Keeps <paramref name="monitor"/> until it fires or the set closes.</summary>
    public void Track(MonitorRef monitor)
    {
        bool closed;
        lock (this)
        {
            closed = _closed;
            if (!closed)
            {
                _monitors.Add(monitor);
            }
        }

        if (closed)
        {
            monitor.Demonitor();
        }
        else if (!monitor.IsActive)
        {
            // It fired between its placement and now, and its callback's Forget came too early.
            Forget(monitor);
        }
    }

    public void Forget(MonitorRef monitor)
    {
        lock (this)
        {
            _monitors.Remove(monitor);
        }
    }

    /// <summary>Removes every monitor from its target and refuses new ones.</summary>
    public void Close()
    {
        MonitorBag monitors;
        lock (this)
        {
            monitors = _monitors;
            _monitors = default;
            _closed = true;
        }

        foreach (var monitor in monitors.Items)
        {
            monitor.Demonitor();
        }
    }

    private static WatchedMonitors CreateClosed()
    {
        var closed = new WatchedMonitors();
        closed.Close();
        return closed;
    }
}
