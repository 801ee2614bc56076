using ChatServer.Cluster;
using Supervision;

namespace ChatServer.Chat;

/// <summary>A room's part in a cluster-wide <c>/ping</c> (docs/cluster.md): where its log is, and delivery up to a point of it.</summary>
public sealed partial class Room
{
    private sealed record PointInLog(Reply<LogPoint?> Reply) : Message;

    /// <summary>
    /// In a cluster, completes like <see cref="BarrierAsync"/> with where this node is in the room's log and which
    /// other nodes have members in it, for a cluster-wide barrier; null when no other node has to be waited for.
    /// Throws <see cref="ProcessExitedException"/> when the room has stopped, <see cref="CallTimeoutException"/> past the call's default timeout.
    /// </summary>
    internal Task<LogPoint?> PointInLogAsync() => CallAsync<LogPoint?>(reply => new PointInLog(reply));

    /// <summary>
    /// In a cluster, calls <paramref name="done"/> (it must only post) once this node has handed the room's log up to
    /// <paramref name="upTo"/> to its members here: another node's <c>/ping</c> waits for it. False when the room has stopped.
    /// </summary>
    internal bool AwaitLog(StreamId upTo, Action done) => Tell(new FromCluster(new FollowerSignal.AwaitApplied(upTo, done)));
}
