using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Chat;

/// <summary>
/// What rooms and presence see of a connected person: a process to monitor and a mailbox to
/// deliver lines to. Keeps the chat layer independent of sockets.
/// </summary>
public interface IChatMember
{
    /// <summary>The member's process, monitored by rooms and presence.</summary>
    IProcess Process { get; }

    /// <summary>Queues <paramref name="line"/> for the member. Never waits; false once the member is leaving.</summary>
    bool Deliver(OutboundLine line);

    /// <summary>Queues the lines of <paramref name="batch"/> not sent by this member, in order. Never waits; false once the member is leaving.</summary>
    bool Deliver(RoomBatch batch);
}
