namespace ChatServer.Chat;

/// <summary>
/// The registered names of the tree's long-lived processes. Processes find each other by name at
/// the moment of use, so a restarted service is found again without rewiring anything.
/// </summary>
public static class ServiceNames
{
    /// <summary>The nick registry.</summary>
    public const string Presence = "presence";

    /// <summary>The dynamic supervisor of room workers.</summary>
    public const string RoomSupervisor = "room_supervisor";

    /// <summary>The room directory.</summary>
    public const string RoomDirectory = "room_directory";

    /// <summary>The dynamic supervisor of client workers.</summary>
    public const string Clients = "clients";

    /// <summary>The supervisor of the cluster workers (only with <c>--redis</c>).</summary>
    public const string Cluster = "cluster";

    /// <summary>The node's connection to Redis.</summary>
    public const string ClusterLink = "cluster_link";

    /// <summary>The node's ordered writer to Redis, with the backlog kept while Redis is away.</summary>
    public const string ClusterOutbox = "cluster_outbox";

    /// <summary>The node's heartbeat and the judge of other nodes' leases.</summary>
    public const string NodeLease = "node_lease";

    /// <summary>The node's cluster-wide <c>/ping</c> barriers: asks the other nodes to deliver, and answers them.</summary>
    public const string ClusterBarriers = "cluster_barriers";

    /// <summary>The acceptor of the line-protocol port.</summary>
    public const string Acceptor = "acceptor";

    /// <summary>The acceptor of the IRC port.</summary>
    public const string IrcAcceptor = "irc_acceptor";

    /// <summary>The keeper of the TLS certificate, which reloads it when its files change (only with a TLS port).</summary>
    public const string TlsCertificate = "tls_certificate";

    /// <summary>The acceptor of the line protocol's TLS port.</summary>
    public const string TlsAcceptor = "tls_acceptor";

    /// <summary>The acceptor of IRC's TLS port.</summary>
    public const string IrcTlsAcceptor = "irc_tls_acceptor";
}
