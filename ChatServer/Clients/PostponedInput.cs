namespace ChatServer.Clients;

/// <summary>
/// The person's later input, set aside while a reply waits in the mailbox behind mail that must reach the person
/// first (<see cref="Protocol.IClientLink.WriteAfterQueued"/>: a pong, a part). Events keep flowing; commands
/// wait, so the reply still comes before the answers of the commands typed after it. OTP's gen_statem calls
/// this postponing. Bounded by the reader's read-ahead window: a postponed line is not yet handled.
/// </summary>
internal sealed class PostponedInput
{
    /// <summary>The commands set aside, oldest first; null until the first.</summary>
    private Queue<ClientMessage>? _commands;

    /// <summary>Replies written after the queued mail that have not been reached yet.</summary>
    private int _repliesAhead;

    /// <summary>Whether a command must wait now (a reply is still ahead of it).</summary>
    public bool Waiting => _repliesAhead > 0;

    /// <summary>A reply is queued behind the mail in the mailbox.</summary>
    public void ReplyQueued() => _repliesAhead++;

    /// <summary>Sets <paramref name="command"/> aside until every reply ahead of it was written.</summary>
    public void Postpone(ClientMessage command) => (_commands ??= new Queue<ClientMessage>()).Enqueue(command);

    /// <summary>A queued reply was reached (written).</summary>
    public void ReplyReached()
    {
        System.Diagnostics.Debug.Assert(_repliesAhead > 0, "a reply is reached only after it was queued");
        _repliesAhead--;
    }

    /// <summary>The oldest command set aside, once no reply is ahead of it any more.</summary>
    public bool TryResume(out ClientMessage command)
    {
        if (_repliesAhead == 0 && _commands is { Count: > 0 } commands)
        {
            command = commands.Dequeue();
            return true;
        }

        command = null!;
        return false;
    }
}
