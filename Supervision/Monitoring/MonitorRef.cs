namespace Supervision;

/// <summary>
/// One monitor on one process. Fires at most once. <see cref="Demonitor"/> removes it, so a
/// long-lived process watched by many short-lived ones does not accumulate dead monitors.
/// </summary>
public sealed class MonitorRef
{
    /// <summary>The target's set of monitors, which this one leaves when removed.</summary>
    private readonly MonitorSet _owner;

    /// <summary>What the down notice goes to: an <see cref="Action{ProcessDown}"/> or an <see cref="IDownListener"/>; null once fired or removed.</summary>
    private object? _onDown;

    /// <summary>The state handed to an <see cref="IDownListener"/> with the notice.</summary>
    private readonly object? _state;

    internal MonitorRef(MonitorSet owner, IProcess target, object onDown, object? state)
    {
        _owner = owner;
        Target = target;
        _onDown = onDown;
        _state = state;
    }

    /// <summary>The monitored process.</summary>
    public IProcess Target { get; }

    /// <summary>True until the monitor has fired or been removed.</summary>
    public bool IsActive => Volatile.Read(ref _onDown) is not null;

    /// <summary>Removes the monitor: no down notice is delivered after this returns. Idempotent.</summary>
    public void Demonitor()
    {
        if (Interlocked.Exchange(ref _onDown, null) is not null)
        {
            _owner.Remove(this);
        }
    }

    internal void Fire(ExitReason reason)
    {
        switch (Interlocked.Exchange(ref _onDown, null))
        {
            case Action<ProcessDown> onDown:
                onDown(new ProcessDown(this, Target, reason));
                break;
            case IDownListener listener:
                listener.OnDown(new ProcessDown(this, Target, reason), _state!);
                break;
        }
    }
}
