namespace ChatServer.Cluster;

/// <summary>An entry as read from a log: its id, its number in the log, and the entry (null when it could not be read: <see cref="Problem"/> says why).</summary>
internal sealed record LogEntry(StreamId Id, long Seq, ClusterEntry? Entry, string? Problem);
