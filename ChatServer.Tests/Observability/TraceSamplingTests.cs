using System.Diagnostics;
using ChatServer.Observability;
using OpenTelemetry.Trace;
using Supervision;

namespace ChatServer.Tests.Observability;

/// <summary>What the OTLP export keeps: every supervision span, a share of the messages.</summary>
public class TraceSamplingTests
{
    [TestCase(SupervisionActivities.ChildStart)]
    [TestCase(SupervisionActivities.ChildExit)]
    [TestCase(SupervisionActivities.ChildRestart)]
    [TestCase(SupervisionActivities.GaveUp)]
    public void Every_supervision_span_is_kept_whatever_its_trace_id(string span)
    {
        // The highest trace id: the one a ratio sampler is surest to drop.
        var decision = new TraceSampling().ShouldSample(Root(span, ActivityTraceId.CreateFromString("ffffffffffffffffffffffffffffffff"))).Decision;

        decision.Should().Be(SamplingDecision.RecordAndSample);
    }

    [Test]
    public void A_message_trace_is_kept_by_the_ratio_of_its_trace_id()
    {
        var sampling = new TraceSampling();

        sampling.ShouldSample(Root("chat.message.received", ActivityTraceId.CreateFromString("ffffffffffffffffffffffffffffffff"))).Decision
            .Should().Be(SamplingDecision.Drop);
        sampling.ShouldSample(Root("chat.message.received", ActivityTraceId.CreateFromString("00000000000000000000000000000001"))).Decision
            .Should().Be(SamplingDecision.RecordAndSample);
    }

    private static SamplingParameters Root(string name, ActivityTraceId traceId) =>
        new(default, traceId, name, ActivityKind.Internal);
}
