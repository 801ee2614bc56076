namespace ChatServer.Cluster;

/// <summary>
/// The barriers a <see cref="RoomReplica"/> holds: each waits until this node's entries up to a number have taken
/// effect here (come back from the log), then runs what it was given. Few at a time; on the room's loop only.
/// </summary>
internal sealed class OwnEntryBarriers
{
    private readonly List<(long Seq, Action Release)> _waiting = [];

    /// <summary><paramref name="release"/> runs once the entries up to <paramref name="seq"/> have taken effect.</summary>
    public void Add(long seq, Action release) => _waiting.Add((seq, release));

    /// <summary>Runs the barriers whose entries up to <paramref name="done"/> have all taken effect; <paramref name="before"/> runs first, once, if any does.</summary>
    public void Release(long done, Action before)
    {
        if (!_waiting.Exists(barrier => barrier.Seq <= done))
        {
            return;
        }

        before();
        _waiting.RemoveAll(barrier =>
        {
            if (barrier.Seq > done)
            {
                return false;
            }

            barrier.Release();
            return true;
        });
    }

    /// <summary>Runs every barrier (the room stops: it has nothing more to deliver).</summary>
    public void ReleaseAll() => Release(long.MaxValue, static () => { });
}
