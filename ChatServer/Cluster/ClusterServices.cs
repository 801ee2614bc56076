using ChatServer.Chat;
using Microsoft.Extensions.Logging;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>The cluster as the chat workers see it: this node, and its link and outbox found by name at the moment of use (null while one restarts).</summary>
internal sealed class ClusterServices(ClusterNode node, ProcessRegistry names, ILoggerFactory loggers)
{
    /// <summary>This node.</summary>
    public ClusterNode Node { get; } = node;

    /// <summary>The logger of the chat workers' cluster halves.</summary>
    public ILogger Logger { get; } = loggers.CreateLogger("ChatServer.Cluster");

    /// <summary>The connection to Redis, or null while it restarts.</summary>
    public ClusterLink? Link => names.WhereIs(ServiceNames.ClusterLink) as ClusterLink;

    /// <summary>
    /// Has <paramref name="owner"/> told of the link's status (at once, then each change) through
    /// <paramref name="post"/>, which must only put it in the owner's mailbox; returns the link, to be monitored (the owner is linked to it).
    /// </summary>
    /// <exception cref="ServiceUnavailableException">The link is restarting.</exception>
    public ClusterLink Watch(IProcess owner, Action<FollowerSignal> post)
    {
        var link = Link ?? throw new ServiceUnavailableException();
        link.Watch(owner, status => post(new FollowerSignal.Status(status)));
        return link;
    }

    /// <summary>The cluster-wide barriers, or null while they restart.</summary>
    public ClusterBarriers? Barriers => names.WhereIs(ServiceNames.ClusterBarriers) as ClusterBarriers;

    /// <summary>The ordered writer, or null while it restarts.</summary>
    public ClusterOutbox? Outbox => names.WhereIs(ServiceNames.ClusterOutbox) as ClusterOutbox;
}
