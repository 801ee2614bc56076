namespace Supervision;

/// <summary>
/// OTP's restart intensity: at most MaxRestarts restarts within a sliding window of Period.
/// One per supervisor, shared by all its children. The boundary is inclusive, as in OTP's
/// <c>add_restart/3</c>: a restart exactly Period ago still counts.
/// </summary>
internal sealed class RestartIntensity(int maxRestarts, TimeSpan period, TimeProvider timeProvider)
{
    private readonly Queue<long> _restarts = new();

    public static void Validate(int maxRestarts, TimeSpan period)
    {
        if (maxRestarts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRestarts), maxRestarts, "invalid_intensity: must not be negative");
        }

        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "invalid_period: must be positive");
        }
    }

    /// <summary>Records a restart now; returns false if that makes more than MaxRestarts within the window.</summary>
    public bool TryAddRestart()
    {
        var now = timeProvider.GetTimestamp();
        while (_restarts.TryPeek(out var oldest) && timeProvider.GetElapsedTime(oldest, now) > period)
        {
            _restarts.Dequeue();
        }

        _restarts.Enqueue(now);
        return _restarts.Count <= maxRestarts;
    }
}
