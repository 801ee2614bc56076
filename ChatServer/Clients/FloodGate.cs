using System.Threading.RateLimiting;

namespace ChatServer.Clients;

/// <summary>
/// Flood control for one connection: a token bucket (System.Threading.RateLimiting, replenished by
/// elapsed time when asked, so a connection costs no timer) lets <c>burst</c> lines through at once and
/// <c>rate</c> per second on average; the lines beyond are dropped, and a peer that goes on for
/// <c>kick</c> dropped lines in a row is to be cut off.
/// </summary>
internal sealed class FloodGate : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;
    private readonly int _kickAfter;

    /// <summary>Dropped lines in a row.</summary>
    private int _streak;

    private FloodGate(TokenBucketRateLimiter bucket, int kickAfter, TimeSpan tokenPeriod)
    {
        _bucket = bucket;
        _kickAfter = kickAfter;
        TokenPeriod = tokenPeriod;
    }

    /// <summary>How long one token takes to come back: when a line held for want of one may run.</summary>
    public TimeSpan TokenPeriod { get; }

    /// <summary>What happened to one line.</summary>
    public enum Verdict
    {
        /// <summary>Let through.</summary>
        Admitted,

        /// <summary>The first line dropped in a streak: warn the peer and log once.</summary>
        FirstDropped,

        /// <summary>Dropped again: warn the peer.</summary>
        Dropped,

        /// <summary>Dropped once too often: cut the peer off.</summary>
        Kick,
    }

    /// <summary>Dropped lines in a row so far.</summary>
    public int Streak => _streak;

    /// <summary>A gate for <paramref name="rate"/> lines per second; null when the rate is 0 (no flood control).</summary>
    public static FloodGate? Create(int burst, double rate, int kickAfter)
    {
        if (rate <= 0)
        {
            return null;
        }

        var tokensPerPeriod = Math.Max(1, (int)Math.Round(rate));
        var period = TimeSpan.FromSeconds(tokensPerPeriod / rate);
        return new FloodGate(
            new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = period,
                AutoReplenishment = false,
                QueueLimit = 0,
            }),
            kickAfter,
            period);
    }

    /// <summary>Takes a token for one line.</summary>
    public Verdict Admit()
    {
        _bucket.TryReplenish();
        using var lease = _bucket.AttemptAcquire();
        if (lease.IsAcquired)
        {
            _streak = 0;
            return Verdict.Admitted;
        }

        return ++_streak >= _kickAfter ? Verdict.Kick : _streak == 1 ? Verdict.FirstDropped : Verdict.Dropped;
    }

    /// <inheritdoc />
    public void Dispose() => _bucket.Dispose();
}
