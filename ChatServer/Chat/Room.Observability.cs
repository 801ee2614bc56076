#if !CHAT_NO_TRACING
using System.Diagnostics;
#endif
using ChatServer.Observability;

namespace ChatServer.Chat;

/// <summary>
/// What a room counts (<see cref="ChatMetrics"/>) and traces (<see cref="ChatTracing"/>). Built with
/// <c>-p:ChatTracing=false</c>, the trace hooks are empty (and inlined away): the baseline of docs/benchmarks.md.
/// </summary>
public sealed partial class Room
{
    /// <summary>This room in <see cref="ChatMetrics.Rooms"/> while it runs.</summary>
    private CountLease? _counted;

#if !CHAT_NO_TRACING
    /// <summary>Traced messages between their turn here and their fan-out.</summary>
    private readonly FanOutTrace _trace = new();

    /// <summary>A <see cref="Say"/> that carries its sender's received span: made only when one exists.</summary>
    private sealed record TracedSay(IChatMember Member, string Text, LineKind Kind, string? Tags, ActivityContext Parent) : Say(Member, Text, Kind, Tags);

    private static Say SayMessage(IChatMember member, string text, LineKind kind, string? tags) =>
        ChatTracing.CurrentMessage() is { } parent ? new TracedSay(member, text, kind, tags, parent) : new Say(member, text, kind, tags);

#else
    private static Say SayMessage(IChatMember member, string text, LineKind kind, string? tags) => new(member, text, kind, tags);
#endif

    /// <summary><see cref="SayFrom"/>, as the message's turn here when it is traced.</summary>
    private void SayTraced(Member sender, Say say)
    {
#if !CHAT_NO_TRACING
        if (say is TracedSay traced)
        {
            _trace.BeginTurn(traced.Parent, MemberCount);
        }
#endif
        SayFrom(sender, say.Text, say.Kind, say.Tags);
#if !CHAT_NO_TRACING
        _trace.EndTurn();
#endif
    }

    private void TraceQueued()
    {
#if !CHAT_NO_TRACING
        _trace.LineQueued();
#endif
    }

    private void TraceFanOutStart()
    {
#if !CHAT_NO_TRACING
        _trace.BeforeFanOut();
#endif
    }

    private void TraceFanOutEnd(int deliveries)
    {
#if !CHAT_NO_TRACING
        _trace.AfterFanOut(deliveries, _pendingLines.Count);
#endif
    }

    /// <summary>A killed room runs no stop callback: it leaves the count here.</summary>
    protected override void OnKilled() => _counted?.Dispose();

    /// <summary>Deliveries of a batch: each line to every member but its sender.</summary>
    private int DeliveriesOf(List<ChatEvent.RoomLine> lines)
    {
        var deliveries = 0;
        foreach (var line in lines)
        {
            deliveries += _members.Count - (_members.ContainsKey(line.Sender) ? 1 : 0);
        }

        return deliveries;
    }
}
