using StackExchange.Redis;

namespace ChatServer.Cluster;

/// <summary>What a <see cref="StreamFollower"/> posts to its owner's mailbox, to be handed back to it on the owner's loop.</summary>
internal abstract record FollowerSignal
{
    /// <summary>An append was pushed on the log's channel.</summary>
    public sealed record Pushed(string Payload) : FollowerSignal;

    /// <summary>A catch-up read finished: the entries, or null when it failed.</summary>
    public sealed record CaughtUp(StreamEntry[]? Entries) : FollowerSignal;

    /// <summary>The link's status changed.</summary>
    public sealed record Status(ClusterStatus Value) : FollowerSignal;

    /// <summary>The outbox will never write <see cref="Write"/>, for <see cref="Why"/>.</summary>
    public sealed record Rejected(OutboxWrite Write, string Why) : FollowerSignal;

    /// <summary>
    /// Another node's <c>/ping</c> waits for this node to deliver the log up to <see cref="UpTo"/>: <see cref="Done"/>
    /// is called (on the owner's loop; it must only post) once every entry up to it has been applied, or at once when the log is not followed.
    /// </summary>
    public sealed record AwaitApplied(StreamId UpTo, Action Done) : FollowerSignal;
}
