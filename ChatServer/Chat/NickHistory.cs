namespace ChatServer.Chat;

/// <summary>
/// Who held a nick before (IRC's WHOWAS): the last <see cref="Capacity"/> nicks given up, by a quit or a
/// nick change, with the mask they were seen with. Kept by presence, on its loop; lost when presence restarts.
/// </summary>
internal sealed class NickHistory
{
    /// <summary>How many past nicks are kept.</summary>
    public const int Capacity = 512;

    /// <summary>The past nicks, oldest first.</summary>
    private readonly Queue<PastNick> _past = new();

    /// <summary>Remembers that <paramref name="nick"/>, seen as <paramref name="mask"/>, was given up at <paramref name="at"/>.</summary>
    public void Record(string nick, PersonMask mask, DateTimeOffset at)
    {
        if (_past.Count == Capacity)
        {
            _past.Dequeue();
        }

        _past.Enqueue(new PastNick(nick, mask, at));
    }

    /// <summary>The past nicks that <paramref name="matches"/>, newest first, at most <paramref name="count"/> (0 or less: all).</summary>
    public IReadOnlyList<PastNick> Find(Func<string, bool> matches, int count)
    {
        var found = _past.Where(past => matches(past.Nick)).Reverse();
        return [.. count > 0 ? found.Take(count) : found];
    }
}

/// <summary>A nick given up: who held it, as they were seen, and when they let it go.</summary>
/// <param name="Nick">The nick.</param>
/// <param name="Mask">How its holder was seen (<c>user@host</c>, real name).</param>
/// <param name="At">When it was given up.</param>
public sealed record PastNick(string Nick, PersonMask Mask, DateTimeOffset At);
