namespace ChatServer.Network;

/// <summary>How much a peer that does not read may have queued before it is cut off (IRC's sendq).</summary>
/// <param name="MaxBytes">The most bytes queued.</param>
/// <param name="MaxLines">The most lines (LF bytes) queued.</param>
internal readonly record struct SendQueueLimits(long MaxBytes, long MaxLines);
