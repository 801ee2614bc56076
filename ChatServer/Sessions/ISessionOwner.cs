using ChatServer.Chat;
using Supervision;

namespace ChatServer.Sessions;

/// <summary>What a <see cref="Session"/> needs from the worker that owns it: its identity as a member, monitors on its mailbox, and its stop.</summary>
internal interface ISessionOwner
{
    /// <summary>The person as rooms and presence see it.</summary>
    IChatMember Member { get; }

    /// <summary>Cancelled when the owner stops: retries give up.</summary>
    CancellationToken Stopping { get; }

    /// <summary>Monitors <paramref name="room"/>: its exit comes back as <see cref="Session.OnRoomDownAsync"/> on the owner's loop.</summary>
    MonitorRef MonitorRoom(Room room);

    /// <summary>Monitors <paramref name="presence"/>: its exit comes back as <see cref="Session.OnPresenceDownAsync"/> on the owner's loop.</summary>
    void MonitorPresence(Presence presence);

    /// <summary>Removes a monitor placed by <see cref="MonitorRoom"/>.</summary>
    void Demonitor(MonitorRef monitor);

    /// <summary>Tells the person <paramref name="chatEvent"/> (through the protocol adapter).</summary>
    void Tell(ChatEvent chatEvent);
}
