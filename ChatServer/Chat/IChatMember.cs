using Supervision;

namespace ChatServer.Chat;

/// <summary>
/// What rooms and presence see of a connected person: a process to monitor and a mailbox to
/// deliver chat events to. Keeps the chat layer independent of sockets and protocols.
/// </summary>
public interface IChatMember
{
    /// <summary>The member's process, monitored by rooms and presence.</summary>
    IProcess Process { get; }

    /// <summary>How IRC shows the member and bans match it (<c>user@host</c>); fixed before the member registers.</summary>
    PersonMask Mask { get; }

    /// <summary>The away message the member set (IRC's <c>AWAY</c>), or null while present.</summary>
    string? AwayMessage { get; }

    /// <summary>Queues <paramref name="chatEvent"/> for the member. Never waits; false once the member is leaving.</summary>
    bool Deliver(ChatEvent chatEvent);

    /// <summary>Presence took the member's nick back (in a cluster, another node's member holds it): the member registers again. Never waits.</summary>
    void RegisterAgain();

    /// <summary>Queues the lines of <paramref name="batch"/> not sent by this member, in order. Never waits; false once the member is leaving.</summary>
    bool Deliver(RoomBatch batch);
}
