using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Supervision.Tests.Support;

/// <summary>Reads the observable <c>supervision.children.active</c> of one supervisor name, as an exporter's collection would.</summary>
public static class ActiveChildrenGauge
{
    /// <summary>The running children of the supervisors named <paramref name="supervisor"/> now; null when none was ever started.</summary>
    public static long? Of(string supervisor)
    {
        using var collector = new MetricCollector<long>(null, SupervisionMetrics.MeterName, "supervision.children.active");
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot()
            .Where(m => m.Tags.TryGetValue("supervisor", out var tag) && Equals(tag, supervisor))
            .Select(m => (long?)m.Value)
            .LastOrDefault();
    }
}
