using ChatServer.Chat;
using ChatServer.Cluster;
using Supervision;

namespace ChatServer.Sessions;

/// <summary>
/// In a cluster, what a person sent since their last barrier that other nodes deliver: the rooms they spoke
/// in and the nodes of the people they wrote to privately. A <c>/ping</c> waits, while Redis answers, until
/// every other node with members in those rooms (and each such recipient's node) has handed it to its people
/// (<see cref="ClusterBarriers"/>); a ping with nothing sent before costs no Redis call. A session has one only in a
/// cluster (a single server's barrier is its local one). On the session owner's loop only.
/// </summary>
internal sealed class RemoteDeliveries
{
    /// <summary>The rooms spoken in since the last barrier. A list: most people are in one or two rooms.</summary>
    private readonly List<Room> _rooms = [];

    /// <summary>The nodes whose inboxes got a private message from this person since the last barrier.</summary>
    private readonly HashSet<string> _inboxesOf = new(StringComparer.Ordinal);

    /// <summary>The person said something in <paramref name="room"/>.</summary>
    public void Spoke(Room room)
    {
        if (!_rooms.Contains(room))
        {
            _rooms.Add(room);
        }
    }

    /// <summary>The person wrote privately to <paramref name="recipient"/>: when it is on another node, its inbox there counts.</summary>
    public void WroteTo(IChatMember recipient)
    {
        if (recipient is RemoteMember remote)
        {
            _inboxesOf.Add(remote.Node);
        }
    }

    /// <summary>
    /// Completes once the other nodes have delivered what was sent since the last call, after the local barrier
    /// (each room's own lines are back from its log). At once on a single server, while Redis is away (the barrier
    /// is then this node's only), or when a cluster worker is restarting.
    /// </summary>
    public async Task WaitAsync(ClusterServices? cluster)
    {
        if (cluster is null || (_rooms.Count == 0 && _inboxesOf.Count == 0))
        {
            return;
        }

        var rooms = _rooms.ToList();
        var inboxesOf = _inboxesOf.ToList();
        _rooms.Clear();
        _inboxesOf.Clear();
        if (cluster.Link is not { IsUp: true })
        {
            return;
        }

        try
        {
            var points = new List<LogPoint>(rooms.Count);
            foreach (var room in rooms)
            {
                try
                {
                    if (await room.PointInLogAsync().ConfigureAwait(false) is { } point)
                    {
                        points.Add(point);
                    }
                }
                catch (ProcessExitedException)
                {
                    // A room that is gone here delivers nothing more here; its log was read elsewhere as before.
                }
            }

            if (inboxesOf.Count > 0 && cluster.Outbox is { } outbox)
            {
                // The private messages are written to the inboxes before the other nodes are asked to deliver them.
                await outbox.FlushAsync().ConfigureAwait(false);
            }

            if ((points.Count > 0 || inboxesOf.Count > 0) && cluster.Barriers is { } barriers)
            {
                await barriers.WaitAsync(points, inboxesOf).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is ProcessExitedException or CallTimeoutException)
        {
            // A cluster worker restarting or Redis too slow to write: the pong does not wait for it.
        }
    }
}
