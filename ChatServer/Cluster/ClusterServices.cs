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

    /// <summary>The ordered writer, or null while it restarts.</summary>
    public ClusterOutbox? Outbox => names.WhereIs(ServiceNames.ClusterOutbox) as ClusterOutbox;
}
