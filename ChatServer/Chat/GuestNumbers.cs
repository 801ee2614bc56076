namespace ChatServer.Chat;

/// <summary>
/// The guest number counter of one server: created once by the tree (<see cref="Hosting.ChatTree"/>)
/// and handed to every <see cref="Presence"/> incarnation through its child spec's factory, so a
/// restarted presence continues where the crashed one stopped.
/// </summary>
/// <remarks>
/// This is the one piece of chat state that lives outside a worker, and deliberately so: the house
/// rule against shared mutable state exists because state touched by several loops needs locks and
/// because a crash must not leave it half-changed. Neither applies here. The counter is owned by the
/// tree, not by a worker, and is used by one presence at a time (the root starts a new incarnation
/// only after the old one has exited); it holds a single number that <see cref="Interlocked"/>
/// advances atomically, so there is no intermediate state for a crash to corrupt, and it stays
/// thread-safe even if a killed incarnation's last handler overlaps the next one's first. What it
/// survives is exactly what should survive: a number already handed out is never handed out again.
/// </remarks>
public sealed class GuestNumbers : IGuestNumbers
{
    private long _last;

    /// <inheritdoc />
    public long Next() => Interlocked.Increment(ref _last);
}
