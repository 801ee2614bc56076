using Supervision;

namespace ChatServer.Sessions;

/// <summary>The session's ordering: settling rooms before commands, and the <c>/ping</c> barrier (locally, and in a cluster on every node).</summary>
internal sealed partial class Session
{
    /// <summary>
    /// <see cref="SettleAsync(bool)"/> before a line to <paramref name="name"/> (IRC's PRIVMSG to a room): that room,
    /// which keeps the line in order behind the earlier ones by its own mailbox, is not waited for.
    /// </summary>
    public Task SettleBeforeLineAsync(string name) => _unsettled.SettleAsync(Find(name)?.Room ?? services.FindRoom(name));

    /// <summary>
    /// Order across rooms, before a command: every room told something earlier has delivered it,
    /// except the current room when <paramref name="roomLine"/> (a line said there stays in order
    /// behind the earlier ones by the room's own mailbox). So a person in several rooms sees this
    /// person's lines in the order they were said.
    /// </summary>
    public Task SettleAsync(bool roomLine) => _unsettled.SettleAsync(roomLine ? _current : null);

    /// <summary>
    /// Completes once everything said before has been delivered, and the current room has handled
    /// what it had queued, so its earlier lines for this person are already in the owner's mailbox:
    /// an answer queued in the mailbox after this is a barrier (<c>/ping</c>). A room that dies meanwhile cannot hold it up.
    /// In a cluster, while Redis answers, "delivered" means on every node (<see cref="RemoteDeliveries"/>).
    /// </summary>
    public async Task BarrierAsync()
    {
        await LocalBarrierAsync().ConfigureAwait(false);
        if (_remote is not null)
        {
            await _remote.WaitAsync(services.Cluster).ConfigureAwait(false);
        }
    }

    /// <summary>The barrier on this node: the rooms told something have handled it, and the current room what it had queued.</summary>
    private async Task LocalBarrierAsync()
    {
        await _unsettled.SettleAsync(null).ConfigureAwait(false);
        if (_current is not null)
        {
            try
            {
                await _current.BarrierAsync().ConfigureAwait(false);
            }
            catch (ProcessExitedException)
            {
                // The room died: it has nothing more to deliver.
            }
        }
    }
}
