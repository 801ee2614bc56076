namespace ChatServer.Cluster;

/// <summary>
/// A log as of one instant: its members (member id → nick), its most recent entries, oldest first, and, for a
/// room, its moderation state as the entries left it (the flat hash of <see cref="ClusterScripts.Snapshot"/>; empty for an inbox).
/// </summary>
internal sealed record LogSnapshot(
    IReadOnlyList<KeyValuePair<string, string>> Members,
    IReadOnlyList<LogEntry> Recent,
    IReadOnlyList<KeyValuePair<string, string>> Moderation);
