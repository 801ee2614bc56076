using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Supervision;

namespace ChatServer.Observability;

/// <summary>
/// The OpenTelemetry SDK's side: a meter provider over the library's meter (<c>Supervision</c>) and the
/// server's (<c>ChatServer</c>, <c>ChatServer.Cluster</c>), read by the Prometheus scrape endpoint and/or
/// pushed over OTLP; and, with OTLP, a tracer provider over the server's and the library's activity sources
/// (<see cref="TraceSampling"/>: every supervision span, <see cref="TraceSampleRatio"/> of the messages; a
/// sampled-out message costs one field read: nothing is allocated for it).
/// Created only when metrics or OTLP are asked for: nothing of the SDK is loaded otherwise.
/// </summary>
internal sealed class TelemetryExport : IDisposable
{
    /// <summary>The share of messages traced when traces are pushed: enough to see a path, far from every line.</summary>
    public const double TraceSampleRatio = 0.01;

    private readonly TracerProvider? _tracer;

    private TelemetryExport(MeterProvider meters, TracerProvider? tracer)
    {
        Meters = meters;
        _tracer = tracer;
    }

    /// <summary>The meter provider the Prometheus endpoint reads.</summary>
    public MeterProvider Meters { get; }

    /// <summary>The OpenTelemetry <c>service.name</c> of every server: nodes and servers differ by <c>service.instance.id</c>.</summary>
    public const string ServiceName = "supervisedchat";

    /// <summary>
    /// Starts the providers: the Prometheus exporter when <paramref name="prometheus"/>, OTLP when <paramref name="otlp"/> is set;
    /// <paramref name="instance"/> (the node name) tells this server's series and spans from other servers'.
    /// </summary>
    public static TelemetryExport Start(bool prometheus, Uri? otlp, string instance)
    {
        var resource = ResourceBuilder.CreateDefault().AddService(ServiceName, serviceInstanceId: instance);
        var meters = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(SupervisionMetrics.MeterName, ChatMetrics.MeterName + "*");
        if (prometheus)
        {
            // No cached answer: a scrape (rare, e.g. every 15 s) always reads the instruments now.
            meters.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
        }

        TracerProvider? tracer = null;
        if (otlp is not null)
        {
            meters.AddOtlpExporter(o => o.Endpoint = otlp);
            tracer = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .AddSource(ChatTracing.SourceName, SupervisionActivities.SourceName)
                .SetSampler(new TraceSampling())
                .AddOtlpExporter(o => o.Endpoint = otlp)
                .Build();
        }

        return new TelemetryExport(meters.Build(), tracer);
    }

    /// <summary>Flushes what OTLP holds and stops listening.</summary>
    public void Dispose()
    {
        _tracer?.Dispose();
        Meters.Dispose();
    }
}
