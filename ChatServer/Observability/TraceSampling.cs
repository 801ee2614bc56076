using OpenTelemetry.Trace;
using Supervision;

namespace ChatServer.Observability;

/// <summary>
/// What the OTLP export keeps: every span of the supervision library (child starts, exits, restarts, a
/// supervisor giving up: rare, and what an operator looks for after an incident) and
/// <see cref="TelemetryExport.TraceSampleRatio"/> of the messages' traces (many, and alike).
/// </summary>
internal sealed class TraceSampling : Sampler
{
    private readonly Sampler _messages = new ParentBasedSampler(new TraceIdRatioBasedSampler(TelemetryExport.TraceSampleRatio));

    /// <inheritdoc />
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        IsSupervision(samplingParameters.Name)
            ? new SamplingResult(SamplingDecision.RecordAndSample)
            : _messages.ShouldSample(samplingParameters);

    /// <summary>The library's spans are named <c>supervision.*</c> (<see cref="SupervisionActivities"/>).</summary>
    public static bool IsSupervision(string spanName) =>
        spanName.StartsWith(SupervisionActivities.SourceName + ".", StringComparison.OrdinalIgnoreCase);
}
