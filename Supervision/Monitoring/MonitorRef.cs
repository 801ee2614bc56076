namespace Supervision;

/// <summary>
/// One monitor on one process. Fires at most once. <see cref="Demonitor"/> removes it, so a
/// long-lived process watched by many short-lived ones does not accumulate dead monitors.
/// </summary>
public sealed class MonitorRef
{
    private readonly MonitorSet _owner;
    private Action<ProcessDown>? _onDown;

    internal MonitorRef(MonitorSet owner, IProcess target, Action<ProcessDown> onDown)
    {
        _owner = owner;
        Target = target;
        _onDown = onDown;
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
        var onDown = Interlocked.Exchange(ref _onDown, null);
        onDown?.Invoke(new ProcessDown(this, Target, reason));
    }
}
