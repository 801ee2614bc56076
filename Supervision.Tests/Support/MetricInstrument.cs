using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Supervision.Tests.Support;

/// <summary>Collects one instrument of the "Supervision" meter, keeping only one supervisor's measurements.</summary>
public sealed class MetricInstrument(string instrumentName, string supervisor) : IDisposable
{
    private readonly MetricCollector<long> _collector = new(null, SupervisionMetrics.MeterName, instrumentName);

    public IReadOnlyList<long> Values => _collector.GetMeasurementSnapshot()
        .Where(m => m.Tags.TryGetValue("supervisor", out var tag) && Equals(tag, supervisor))
        .Select(m => m.Value)
        .ToList();

    public long Sum => Values.Sum();

    public void Dispose() => _collector.Dispose();
}
