using System.Diagnostics;

namespace LoadGen;

/// <summary>
/// Monotonic nanoseconds. On Linux the Stopwatch ticks are CLOCK_MONOTONIC nanoseconds already, so
/// a send time written into a payload and the receive time read here compare directly.
/// </summary>
internal static class Clock
{
    private static readonly bool s_ticksAreNs = Stopwatch.Frequency == 1_000_000_000;
    private static readonly double s_nsPerTick = 1e9 / Stopwatch.Frequency;

    public static long NowNs() => s_ticksAreNs ? Stopwatch.GetTimestamp() : (long)(Stopwatch.GetTimestamp() * s_nsPerTick);

    public static long FromSeconds(double seconds) => (long)(seconds * 1e9);

    public static double ToSeconds(long ns) => ns / 1e9;

    public static double ToMicroseconds(long ns) => ns / 1e3;
}
