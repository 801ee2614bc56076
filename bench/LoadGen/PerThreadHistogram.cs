namespace LoadGen;

/// <summary>
/// One <see cref="Histogram"/> per thread that records into it, merged when the run is over: the
/// receive completions run on several threads, and a shared histogram would need a lock or
/// atomics for every delivery.
/// </summary>
internal sealed class PerThreadHistogram : IDisposable
{
    private readonly ThreadLocal<Histogram> _histograms = new(() => new Histogram(), trackAllValues: true);

    /// <summary>This thread's histogram; fetch it once per batch of values, not per value.</summary>
    public Histogram Current => _histograms.Value!;

    /// <summary>All threads' values together. Call when no thread records any more.</summary>
    public Histogram Merge()
    {
        var total = new Histogram();
        foreach (var histogram in _histograms.Values)
        {
            total.Merge(histogram);
        }

        return total;
    }

    public void Dispose() => _histograms.Dispose();
}
