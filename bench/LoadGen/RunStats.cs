using System.Text;
using LoadGen.Net;

namespace LoadGen;

/// <summary>
/// Counters every scenario shares (loss reasons, error and unexpected lines, error samples),
/// updated from the receive threads.
/// </summary>
internal sealed class RunStats(bool verbose)
{
    private const int MaxSamples = 3;
    private const int MaxSampleLength = 150;

    private readonly long[] _reasons = new long[Enum.GetValues<LossReason>().Length];
    private readonly Lock _samplesLock = new();
    private readonly List<string> _samples = [];
    private long _errorLines;
    private long _otherLines;
    private long _overlong;
    private int _sampleCount;

    public bool Verbose { get; } = verbose;

    public long ErrorLines => Interlocked.Read(ref _errorLines);

    public long OtherLines => Interlocked.Read(ref _otherLines);

    public long Overlong => Interlocked.Read(ref _overlong);

    public void CountReason(LossReason reason) => Interlocked.Increment(ref _reasons[(int)reason]);

    public long Reason(LossReason reason) => Interlocked.Read(ref _reasons[(int)reason]);

    public void OtherLine() => Interlocked.Increment(ref _otherLines);

    /// <summary>The fan-out run counts unexpected lines from its start only, as loadgen.c does.</summary>
    public void ResetOtherLines() => Interlocked.Exchange(ref _otherLines, 0);

    public void OverlongLine() => Interlocked.Increment(ref _overlong);

    public void ErrorLine(string nick, ReadOnlySpan<byte> line)
    {
        Interlocked.Increment(ref _errorLines);
        if (Verbose)
        {
            Console.Error.WriteLine($"[{nick}] error: {Encoding.UTF8.GetString(line)}");
        }

        // Decoding only while samples are still wanted keeps a flood of errors cheap.
        if (Volatile.Read(ref _sampleCount) < MaxSamples)
        {
            Sample(Encoding.UTF8.GetString(line));
        }
    }

    /// <summary>Keeps the first few distinct error texts, made safe for a JSON string.</summary>
    public void Sample(string text)
    {
        var clean = new StringBuilder(Math.Min(text.Length, MaxSampleLength));
        foreach (var ch in text.AsSpan(0, Math.Min(text.Length, MaxSampleLength)))
        {
            clean.Append(ch is '"' or '\\' || ch < ' ' ? '\'' : ch);
        }

        var sample = clean.ToString();
        lock (_samplesLock)
        {
            if (_samples.Count < MaxSamples && !_samples.Contains(sample))
            {
                _samples.Add(sample);
                Volatile.Write(ref _sampleCount, _samples.Count);
            }
        }
    }

    public IReadOnlyList<string> Samples()
    {
        lock (_samplesLock)
        {
            return [.. _samples];
        }
    }
}
