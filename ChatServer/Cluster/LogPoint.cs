namespace ChatServer.Cluster;

/// <summary>
/// Where a cluster-wide barrier must reach in one room's log: every entry up to <paramref name="UpTo"/>
/// (this node's own lines among them) handed to the members on each of <paramref name="Nodes"/>.
/// </summary>
/// <param name="Room">The room's name.</param>
/// <param name="UpTo">The id of the last entry this node has applied.</param>
/// <param name="Nodes">The other nodes with members in the room.</param>
internal sealed record LogPoint(string Room, StreamId UpTo, IReadOnlySet<string> Nodes);
