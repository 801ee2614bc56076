namespace ChatServer.Clients;

/// <summary>
/// Disconnects a connection that sends nothing for the idle timeout: one timer per connection that
/// fires at most once per timeout and, when input came meanwhile, is re-armed for the rest, so input
/// itself costs only a timestamp. The check runs on the owner's loop (the callback only posts it).
/// </summary>
internal sealed class IdleTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ITimer _timer;

    /// <summary>When input last came (a <see cref="TimeProvider.GetTimestamp"/>).</summary>
    private long _lastInput;

    private IdleTimer(TimeProvider time, TimeSpan timeout, Action post)
    {
        _time = time;
        _timeout = timeout;
        _lastInput = time.GetTimestamp();
        _timer = time.CreateTimer(static state => ((Action)state!)(), post, timeout, System.Threading.Timeout.InfiniteTimeSpan);
    }

    /// <summary>The timeout.</summary>
    public TimeSpan Timeout => _timeout;

    /// <summary>A timer that calls <paramref name="post"/> when a check is due; null when <paramref name="timeout"/> is zero (off).</summary>
    public static IdleTimer? Start(TimeProvider time, TimeSpan timeout, Action post) =>
        timeout > TimeSpan.Zero ? new IdleTimer(time, timeout, post) : null;

    /// <summary>Input came: the idle time starts again.</summary>
    public void Touch() => _lastInput = _time.GetTimestamp();

    /// <summary>True when the connection has been idle for the timeout; otherwise re-arms for the rest and returns false.</summary>
    public bool IsExpired()
    {
        var idle = _time.GetElapsedTime(_lastInput);
        if (idle < _timeout)
        {
            _timer.Change(_timeout - idle, System.Threading.Timeout.InfiniteTimeSpan);
            return false;
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}
