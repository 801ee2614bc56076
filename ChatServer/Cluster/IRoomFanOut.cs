using ChatServer.Chat;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>What a <see cref="RoomReplica"/> asks of its room, on the room's loop: deliveries to the members on this node.</summary>
internal interface IRoomFanOut
{
    /// <summary>The room's name.</summary>
    string Name { get; }

    /// <summary>How many members are on this node.</summary>
    int LocalCount { get; }

    /// <summary>The members on this node, with their nicks.</summary>
    IEnumerable<(IChatMember Member, string Nick)> LocalMembers { get; }

    /// <summary>Relays <paramref name="line"/> to the members here (not its sender) and keeps it in the history, said at <paramref name="at"/>.</summary>
    void Relay(ChatEvent.RoomLine line, DateTimeOffset at);

    /// <summary>Tells the members here about a membership change, if the room (of <paramref name="size"/> members cluster-wide) is small enough.</summary>
    void Announce(ChatEvent announcement, ProcessId? except, int size);

    /// <summary>Tells every member here.</summary>
    void Broadcast(ChatEvent notice);

    /// <summary>Tells one member here, if it still is.</summary>
    void Tell(ProcessId member, ChatEvent notice);

    /// <summary>Replaces the history with <paramref name="lines"/>, oldest first (the log's, at attach).</summary>
    void SeedHistory(IEnumerable<ChatEvent.HistoryLine> lines);
}
