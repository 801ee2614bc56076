namespace ChatServer.Cluster;

/// <summary>What the cluster link tells the workers that watch it.</summary>
internal enum ClusterStatus
{
    /// <summary>Redis answers: lines go through it, in its order.</summary>
    Up,

    /// <summary>Redis is unreachable or does not answer: lines among this node's people are delivered at once, the rest kept for later.</summary>
    Down,

    /// <summary>Redis answers again after the other nodes declared this one lost: every member and nick is announced anew.</summary>
    Rejoin,

    /// <summary>
    /// Redis still answers (sent every <see cref="ClusterLink.CatchUpInterval"/>): followers read what they may have missed, because a
    /// push published while a subscription was being restored is lost, and nothing else would wake them.
    /// </summary>
    StillUp,
}
