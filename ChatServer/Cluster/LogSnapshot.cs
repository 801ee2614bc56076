namespace ChatServer.Cluster;

/// <summary>A log as of one instant: its members (member id → nick) and its most recent entries, oldest first.</summary>
internal sealed record LogSnapshot(IReadOnlyList<KeyValuePair<string, string>> Members, IReadOnlyList<LogEntry> Recent);
