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

    /// <summary>Hands the lines relayed so far to the members here now, rather than when the room's mailbox is empty (before a barrier is answered).</summary>
    void DeliverPending();

    /// <summary>Tells every member here.</summary>
    void Broadcast(ChatEvent notice);

    /// <summary>Tells one member here, if it still is.</summary>
    void Tell(ProcessId member, ChatEvent notice);

    /// <summary>Replaces the history with <paramref name="lines"/>, oldest first (the log's, at attach).</summary>
    void SeedHistory(IEnumerable<ChatEvent.HistoryLine> lines);

    /// <summary>The status of the member <paramref name="member"/> (here or elsewhere).</summary>
    MemberStatus StatusOf(string member);

    /// <summary>Sets the status of a member of another node (its join), or clears it (it left).</summary>
    void SetStatus(string member, MemberStatus status);

    /// <summary>Records an invite of <paramref name="nick"/>, or (<paramref name="used"/>) that it joined and used one.</summary>
    void Invited(string nick, bool used);

    /// <summary>Another node's operator set (or cleared) the topic: set it here and tell the members here.</summary>
    void ApplyTopic(string nick, string text, DateTimeOffset at);

    /// <summary>Another node's operator changed modes: apply them and tell the members here what changed.</summary>
    void ApplyModes(string nick, IReadOnlyList<PlannedMode> plan, DateTimeOffset at);

    /// <summary>Another node's operator kicked <paramref name="target"/> (here or elsewhere): tell the members here and remove it.</summary>
    void ApplyKick(string nick, string target, string? reason);

    /// <summary>Replaces the moderation state with the one read from Redis at attach.</summary>
    void RestoreModeration(ModerationState state);
}
