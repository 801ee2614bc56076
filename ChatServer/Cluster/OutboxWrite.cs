namespace ChatServer.Cluster;

/// <summary>
/// One entry waiting in the outbox to be appended to a log, with the membership change the append
/// script makes with it (<see cref="ClusterScripts.Append"/>).
/// </summary>
/// <param name="Keys">The log to append to.</param>
/// <param name="Effect">The membership change: <c>line</c> (none), <c>join</c>, <c>leave</c> or <c>nick</c>.</param>
/// <param name="Entry">The entry.</param>
/// <param name="Room">The room's name (empty for an inbox).</param>
/// <param name="IsLine">Whether it is something said, which counts against the backlog bound (membership changes never do: they are bounded by the people on this node).</param>
/// <param name="OnRejected">Called (on the outbox's loop: it must only post) with the reason when the entry will never be written: the backlog is full, or Redis refused it.</param>
/// <param name="NumberedHere">Whether the outbox numbers the entry under its own writer id (private messages, handed in from many loops): the numbers then rise in the order of writing.</param>
internal sealed record OutboxWrite(StreamKeys Keys, string Effect, ClusterEntry Entry, string Room, bool IsLine, Action<OutboxWrite, string>? OnRejected, bool NumberedHere = false);
