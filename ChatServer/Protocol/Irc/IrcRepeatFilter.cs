using ChatServer.Chat;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// IRC tells a QUIT, a NICK or an AWAY once per person, however many channels one shares with them;
/// rooms announce them once per room. This drops the repeats for one connection: a person's quit until
/// they join again, a nick change already seen, an away state already known. Bounded: it remembers at
/// most <see cref="Capacity"/> people. On the connection's worker loop only.
/// </summary>
internal sealed class IrcRepeatFilter
{
    /// <summary>How many people's last news is remembered.</summary>
    public const int Capacity = 256;

    /// <summary>The last news told about each nick (quit, renamed to, away text or back), oldest first for eviction.</summary>
    private readonly Dictionary<string, string> _last = new(NickName.Comparer);
    private readonly Queue<string> _order = new();

    /// <summary>Whether <paramref name="chatEvent"/> should be written (false: the same news about the same person was just told).</summary>
    public bool Shows(ChatEvent chatEvent) => chatEvent switch
    {
        ChatEvent.Left { Kind: not LeaveKind.Part } left => IsNew(left.Nick, "quit"),
        ChatEvent.Renamed renamed => IsNew(renamed.OldNick, "nick " + renamed.NewNick),
        ChatEvent.AwayChanged away => IsNew(away.Nick, "away " + away.Away),
        ChatEvent.Joined joined => Forget(joined.Nick),
        _ => true,
    };

    private bool IsNew(string nick, string news)
    {
        if (_last.TryGetValue(nick, out var known) && known == news)
        {
            return false;
        }

        if (!_last.ContainsKey(nick))
        {
            if (_order.Count == Capacity)
            {
                _last.Remove(_order.Dequeue());
            }

            _order.Enqueue(nick);
        }

        _last[nick] = news;
        return true;
    }

    /// <summary>Someone joined (perhaps another person under a freed nick): whatever comes next about them is news (the join itself always shows).</summary>
    private bool Forget(string nick)
    {
        if (_last.ContainsKey(nick))
        {
            _last[nick] = "";
        }

        return true;
    }
}
