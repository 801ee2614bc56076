using System.Collections.Concurrent;
using System.Diagnostics;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Observability;

public class TracingTests
{
    [Test]
    public async Task A_message_is_traced_received_then_room_then_delivered_as_parent_and_children()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("tracealice");
        await using var bob = await server.ConnectAsync("tracebob");
        await using var carol = await server.ConnectAsync("tracecarol");
        await bob.SyncAsync();
        await carol.SyncAsync();
        var sender = (await server.WorkerAsync("tracealice")).Id.Value;

        // The listener is process-wide: only the spans of this trace (begun by alice's worker) are kept.
        var spans = new ConcurrentQueue<Activity>();
        var delivered = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        ActivityTraceId? trace = null;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "ChatServer",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity =>
            {
                if (activity.OperationName == "chat.message.received" && Equals(activity.GetTagItem("chat.process.id"), sender))
                {
                    trace = activity.TraceId;
                }
            },
            ActivityStopped = activity =>
            {
                if (activity.TraceId != trace)
                {
                    return;
                }

                spans.Enqueue(activity);
                if (activity.OperationName == "chat.message.delivered")
                {
                    delivered.TrySetResult(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await alice.SendAsync("traced hello");
        await bob.ExpectAsync("[#lobby] <tracealice> traced hello");
        var delivery = await delivered.Task.WaitAsync(TestServer.Wait);

        var received = spans.Should().ContainSingle(a => a.OperationName == "chat.message.received").Subject;
        var room = spans.Should().ContainSingle(a => a.OperationName == "chat.message.room").Subject;
        received.ParentSpanId.Should().Be(default(ActivitySpanId), "the received span is the trace's root");
        room.ParentSpanId.Should().Be(received.SpanId);
        delivery.ParentSpanId.Should().Be(room.SpanId);
        room.GetTagItem("chat.room.members").Should().Be(3);
        delivery.GetTagItem("chat.deliveries").Should().Be(2, "bob and carol, not the sender");
        delivery.GetTagItem("chat.lines").Should().Be(1);
    }
}
