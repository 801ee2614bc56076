using ChatServer.Cluster;
using ChatServer.Observability;
using Supervision;

namespace ChatServer.Chat;

/// <summary>
/// A room's fan-out, the step from the room to the members' sessions: lines relayed in batches
/// (<see cref="RoomBatch"/>, handed over when the mailbox empties or a batch is full), membership
/// notices within the announce limit, and what the cluster half (<see cref="IRoomFanOut"/>) asks for.
/// </summary>
public sealed partial class Room
{
    private void Relay(IChatMember sender, string nick, string text, LineKind kind, string? tags = null) =>
        Relay(new ChatEvent.RoomLine(Name, nick, text, kind, sender.Process.Id) { Mask = sender.Mask, Tags = tags }, TimeProvider.GetLocalNow());

    private void Relay(ChatEvent.RoomLine line, DateTimeOffset at)
    {
        _pendingLines.Add(line);
        TraceQueued();
        if (_pendingLines.Count == MaxBatch)
        {
            DeliverPending();
        }

        _history.Record(line, at);
    }

    /// <summary>In a cluster, a membership change is announced here when it comes back from the log: this is what runs then.</summary>
    private Action AnnounceHere(ChatEvent announcement, ProcessId? except, int? size = null) => () => Announce(announcement, except, size);

    /// <summary>A notice about membership, sent only while the room (counting the one who left) is small enough.</summary>
    private void Announce(ChatEvent announcement, ProcessId? except, int? size = null)
    {
        if (_options.AnnounceLimit == 0 || (size ?? MemberCount) <= _options.AnnounceLimit)
        {
            Broadcast(announcement, except);
        }
    }

    private void DeliverPending()
    {
        if (_pendingLines.Count == 0)
        {
            return;
        }

        TraceFanOutStart();
        int deliveries;
        if (_pendingLines.Count == 1)
        {
            // A single line needs no batch: the common case when the room is not busy.
            deliveries = Broadcast(_pendingLines[0], except: _pendingLines[0].Sender);
        }
        else
        {
            var batch = new RoomBatch(_pendingLines);
            foreach (var member in _members.Values)
            {
                member.Client.Deliver(batch);
            }

            deliveries = DeliveriesOf(_pendingLines);
        }

        // Once per fan-out: a listener's cost is paid per room turn, not per recipient.
        ChatMetrics.Deliveries.Add(deliveries);
        TraceFanOutEnd(deliveries);
        _pendingLines.Clear();
    }

    int IRoomFanOut.LocalCount => _members.Count;

    IEnumerable<(IChatMember Member, string Nick)> IRoomFanOut.LocalMembers => _members.Values.Select(m => (m.Client, m.Nick));

    void IRoomFanOut.Relay(ChatEvent.RoomLine line, DateTimeOffset at) => Relay(line, at);

    void IRoomFanOut.DeliverPending() => DeliverPending();

    void IRoomFanOut.Announce(ChatEvent announcement, ProcessId? except, int size) => Announce(announcement, except, size);

    void IRoomFanOut.Broadcast(ChatEvent notice) => Broadcast(notice, except: null);

    void IRoomFanOut.Tell(ProcessId member, ChatEvent notice)
    {
        if (_members.TryGetValue(member, out var found))
        {
            found.Client.Deliver(notice);
        }
    }

    void IRoomFanOut.SeedHistory(IEnumerable<ChatEvent.HistoryLine> lines) => _history.Seed(lines);

    /// <summary>Hands <paramref name="chatEvent"/> to every member but <paramref name="except"/>; returns to how many.</summary>
    private int Broadcast(ChatEvent chatEvent, ProcessId? except)
    {
        var handed = 0;
        foreach (var member in _members.Values)
        {
            if (member.Client.Process.Id != except)
            {
                member.Client.Deliver(chatEvent);
                handed++;
            }
        }

        return handed;
    }
}
