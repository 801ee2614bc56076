using System.Globalization;
using ChatServer.Hosting;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>
/// Who this process is in the cluster and how the cluster is configured: written once at start from
/// the server's options and shared read-only by every cluster worker.
/// </summary>
internal sealed class ClusterNode
{
    /// <summary>The node of a server started with <paramref name="options"/>, or null when it runs alone (no <c>--redis</c>).</summary>
    public static ClusterNode? From(ChatServerOptions options) => options.Redis is null ? null : new ClusterNode(options);

    private ClusterNode(ChatServerOptions options)
    {
        Redis = options.Redis!;
        Name = options.NodeName;
        Keys = new ClusterKeys(options.ClusterName);
        Lease = options.NodeLease;
        Backlog = options.ClusterBacklog;
        Retention = options.StreamRetention;
        HistoryLength = options.HistoryLength;
        FollowerDelay = options.EnableFaultInjection ? options.FollowerDelay : TimeSpan.Zero;
    }

    /// <summary>The StackExchange.Redis configuration string (may hold a password: never log it as is).</summary>
    public string Redis { get; }

    /// <summary>The node's name, unique in the cluster.</summary>
    public string Name { get; }

    /// <summary>This run of the node: a node restarted under the same name writes under a new origin, so receivers never take its entries for duplicates.</summary>
    public string Origin { get; } = string.Create(CultureInfo.InvariantCulture, $"#{Guid.NewGuid():N}")[..9];

    /// <summary>
    /// Whether this run has written a heartbeat: from then on a heartbeat that finds none before it means
    /// the others declared the node lost. Set once by the lease keeper (any incarnation of it); read by the next.
    /// </summary>
    public bool HasJoined
    {
        get => Volatile.Read(ref _hasJoined);
        set => Volatile.Write(ref _hasJoined, value);
    }

    private bool _hasJoined;

    /// <summary>The keys in Redis.</summary>
    public ClusterKeys Keys { get; }

    /// <summary>How long the node may go unheard before the others declare it lost.</summary>
    public TimeSpan Lease { get; }

    /// <summary>The most lines kept for other nodes while Redis is unreachable.</summary>
    public int Backlog { get; }

    /// <summary>The entries each log keeps in Redis.</summary>
    public int Retention { get; }

    /// <summary>How many lines a room replays to a joiner.</summary>
    public int HistoryLength { get; }

    /// <summary>Test-only (fault injection): how late what the logs' followers read reaches their owners; zero in production.</summary>
    public TimeSpan FollowerDelay { get; }

    /// <summary>
    /// The writer id of one numbering process of this node's run (a room's replica, the outbox): node
    /// name, run, process. Each numbers its own entries from 1, so each needs its own id: a room that
    /// stops and starts again on this node must not have its new entries taken for repeats.
    /// </summary>
    public string WriterId(ProcessId writer) => string.Create(CultureInfo.InvariantCulture, $"{Name}{Origin}/{writer.Value}");

    /// <summary>The id, cluster-wide, of a member of this node's run: <c>node/run/process</c>.</summary>
    public string MemberId(ProcessId process) => string.Create(CultureInfo.InvariantCulture, $"{RunPrefix}{process.Value}");

    /// <summary>What the ids of this run's members start with; a clean-up of the node's previous runs keeps them.</summary>
    public string RunPrefix => Name + "/" + Origin[1..] + "/";

    /// <summary>The process of <paramref name="memberId"/> if it names a member of this run; false for any other.</summary>
    public bool TryGetLocalProcess(string memberId, out ProcessId process)
    {
        process = default;
        if (!memberId.StartsWith(RunPrefix, StringComparison.Ordinal)
            || !long.TryParse(memberId.AsSpan(RunPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        process = new ProcessId(value);
        return true;
    }

    /// <summary>Whether <paramref name="memberId"/> names a member of this node (of any run).</summary>
    public bool IsMine(string memberId) => memberId.Length > Name.Length && memberId[Name.Length] == '/' && memberId.StartsWith(Name, StringComparison.Ordinal);

    /// <summary>The node part of <paramref name="memberId"/>.</summary>
    public static string NodeOf(string memberId) => memberId.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? memberId[..slash] : memberId;
}
