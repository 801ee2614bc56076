using System.Numerics;
using System.Runtime.CompilerServices;

namespace LoadGen;

/// <summary>
/// Log-linear histogram of nanosecond values, the same buckets as loadgen.c: exact below 1024, then
/// 512 sub-buckets per power of two (relative error under 0.2%). Adding is a few instructions and
/// never allocates; one instance is written by one thread at a time.
/// </summary>
internal sealed class Histogram
{
    private const int SubBits = 9;
    private const int Sub = 1 << SubBits;
    private const int BucketCount = (2 * Sub) + ((64 - SubBits - 1) * Sub);

    private readonly long[] _buckets = new long[BucketCount];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public double Sum { get; private set; }

    public double Mean => Count == 0 ? 0 : Sum / Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long value)
    {
        if (value < 0)
        {
            value = 0;
        }

        _buckets[Index((ulong)value)]++;
        Count++;
        Sum += value;
        if (value > Max)
        {
            Max = value;
        }

        if (value < Min)
        {
            Min = value;
        }
    }

    public void Merge(Histogram other)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            _buckets[i] += other._buckets[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }

    /// <summary>The value at quantile <paramref name="p"/> (0..1): a bucket's midpoint, clamped to the seen range.</summary>
    public long Percentile(double p)
    {
        if (Count == 0)
        {
            return 0;
        }

        var target = Math.Max(1, (long)Math.Ceiling(p * Count));
        long cumulative = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            cumulative += _buckets[i];
            if (cumulative >= target)
            {
                return Math.Clamp(Midpoint(i), Min, Max);
            }
        }

        return Max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Index(ulong value)
    {
        if (value < 2 * Sub)
        {
            return (int)value;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount(value);
        var shift = exponent - SubBits;
        return (2 * Sub) + ((shift - 1) * Sub) + (int)((value >> shift) & (Sub - 1));
    }

    private static long Midpoint(int index)
    {
        if (index < 2 * Sub)
        {
            return index;
        }

        var k = index - (2 * Sub);
        var shift = (k / Sub) + 1;
        var low = (long)((ulong)(Sub + (k % Sub)) << shift);
        return low + ((1L << shift) >> 1);
    }
}
