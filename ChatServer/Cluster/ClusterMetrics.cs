using System.Diagnostics.Metrics;

namespace ChatServer.Cluster;

/// <summary>
/// The cluster's instruments, on the meter <c>ChatServer.Cluster</c> (read them with
/// <c>dotnet-counters monitor -n ChatServer --counters ChatServer.Cluster</c>; docs/cluster.md lists them).
/// One static meter: instruments are thread-safe, and a restarted worker keeps counting on the same ones.
/// </summary>
internal static class ClusterMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ChatServer.Cluster";

    private static readonly Meter s_meter = new(MeterName);

    /// <summary>Entries this node wrote to Redis.</summary>
    public static Counter<long> EntriesWritten { get; } = s_meter.CreateCounter<long>("chat.cluster.entries_written", "{entry}", "entries this node appended to room logs and inboxes");

    /// <summary>Lines refused because the outage backlog was full (their senders were told).</summary>
    public static Counter<long> LinesRejected { get; } = s_meter.CreateCounter<long>("chat.cluster.lines_rejected", "{line}", "lines not kept for other nodes because the outage backlog was full");

    /// <summary>Entries read from Redis and skipped (malformed, foreign, or of an unknown version).</summary>
    public static Counter<long> EntriesSkipped { get; } = s_meter.CreateCounter<long>("chat.cluster.entries_skipped", "{entry}", "entries read from Redis that this node could not read and skipped");

    /// <summary>Entries a log no longer held when this node read it.</summary>
    public static Counter<long> EntriesMissed { get; } = s_meter.CreateCounter<long>("chat.cluster.entries_missed", "{entry}", "entries trimmed from a log before this node read them");

    /// <summary>Nodes this node declared lost.</summary>
    public static Counter<long> NodesLost { get; } = s_meter.CreateCounter<long>("chat.cluster.nodes_lost", "{node}", "other nodes this node declared lost and cleaned up after");

    /// <summary>Times the link found Redis unreachable.</summary>
    public static Counter<long> Outages { get; } = s_meter.CreateCounter<long>("chat.cluster.outages", "{outage}", "times Redis stopped answering this node");

    /// <summary>Entries waiting in the outbox for Redis.</summary>
    public static UpDownCounter<long> Backlog { get; } = s_meter.CreateUpDownCounter<long>("chat.cluster.backlog", "{entry}", "entries waiting in this node's outbox for Redis");
}
