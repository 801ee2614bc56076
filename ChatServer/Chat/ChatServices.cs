using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Chat;

/// <summary>Finds the tree's services by name at the moment of use; null while one is restarting.</summary>
public sealed class ChatServices(ProcessRegistry names)
{
    /// <summary>The registry the services register in.</summary>
    public ProcessRegistry Names { get; } = names;

    /// <summary>The nick registry, or null while it restarts.</summary>
    public Presence? Presence => Names.WhereIs(ServiceNames.Presence) as Presence;

    /// <summary>The live room named <paramref name="name"/> (any spelling), found without a call; null if none (open it through <see cref="Rooms"/>).</summary>
    public Room? FindRoom(string name) => Names.WhereIs(RoomName.RegisteredName(name)) as Room;

    /// <summary>The room directory, or null while it restarts.</summary>
    public RoomDirectory? Rooms => Names.WhereIs(ServiceNames.RoomDirectory) as RoomDirectory;
}
