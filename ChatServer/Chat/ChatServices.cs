using ChatServer.Cluster;
using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Chat;

/// <summary>Finds the tree's services by name at the moment of use; null while one is restarting.</summary>
public sealed class ChatServices(ProcessRegistry names)
{
    /// <summary>Creates the services of a node of <paramref name="cluster"/> (null: a server that runs alone).</summary>
    internal ChatServices(ProcessRegistry names, ClusterServices? cluster)
        : this(names)
    {
        Cluster = cluster;
    }

    /// <summary>The cluster this server is a node of, or null when it runs alone.</summary>
    internal ClusterServices? Cluster { get; }

    /// <summary>The registry the services register in.</summary>
    public ProcessRegistry Names { get; } = names;

    /// <summary>The nick registry, or null while it restarts.</summary>
    public Presence? Presence => Names.WhereIs(ServiceNames.Presence) as Presence;

    /// <summary>The live room named <paramref name="name"/> (any spelling), found without a call; null if none (open it through <see cref="Rooms"/>).</summary>
    public Room? FindRoom(string name) => Names.WhereIs(RoomName.RegisteredName(name)) as Room;

    /// <summary>The room directory, or null while it restarts.</summary>
    public RoomDirectory? Rooms => Names.WhereIs(ServiceNames.RoomDirectory) as RoomDirectory;
}
