namespace Supervision;

/// <summary>
/// How a supervisor stops one child: <see cref="BrutalKill"/>, <see cref="After(TimeSpan)"/> a
/// graceful timeout, or <see cref="Infinity"/>. A forced stop is <see cref="IProcess.Kill"/>: the
/// child's token is cancelled, nothing more is delivered to it, the supervisor stops waiting and
/// records <see cref="ExitReason.Killed"/>.
/// </summary>
public readonly record struct ShutdownPolicy
{
    private ShutdownPolicy(ShutdownKind kind, TimeSpan timeout)
    {
        Kind = kind;
        Timeout = timeout;
    }

    /// <summary>OTP's <c>brutal_kill</c>.</summary>
    public static ShutdownPolicy BrutalKill { get; } = new(ShutdownKind.BrutalKill, TimeSpan.Zero);

    /// <summary>OTP's <c>infinity</c>: the default for supervisor children.</summary>
    public static ShutdownPolicy Infinity { get; } = new(ShutdownKind.Infinity, System.Threading.Timeout.InfiniteTimeSpan);

    /// <summary>The default for worker children: 5 s, as in OTP.</summary>
    public static ShutdownPolicy DefaultForWorker { get; } = After(TimeSpan.FromSeconds(5));

    /// <summary>The kind of stop.</summary>
    public ShutdownKind Kind { get; }

    /// <summary>The graceful timeout of <see cref="ShutdownKind.Timeout"/>.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Ask to stop, then kill after <paramref name="timeout"/> (OTP's integer shutdown; zero is allowed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative (OTP's <c>invalid_shutdown</c>).</exception>
    public static ShutdownPolicy After(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "invalid_shutdown: the timeout must not be negative");
        }

        return new ShutdownPolicy(ShutdownKind.Timeout, timeout);
    }

    /// <summary><c>brutal_kill</c>, <c>infinity</c> or the timeout in milliseconds.</summary>
    public override string ToString() => Kind switch
    {
        ShutdownKind.BrutalKill => "brutal_kill",
        ShutdownKind.Infinity => "infinity",
        _ => $"{Timeout.TotalMilliseconds:0} ms",
    };
}
