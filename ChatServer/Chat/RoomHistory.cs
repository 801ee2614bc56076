namespace ChatServer.Chat;

/// <summary>
/// A room's last lines, replayed to a joiner: at most <c>length</c> of them, oldest first (tag-only lines
/// are never kept). On the room's loop only.
/// </summary>
internal sealed class RoomHistory(string room, int length)
{
    /// <summary>The kept lines, oldest first; never more than the length.</summary>
    private readonly Queue<ChatEvent.HistoryLine> _lines = new();

    /// <summary>Keeps <paramref name="line"/>, said at <paramref name="at"/>, dropping the oldest when full.</summary>
    public void Record(ChatEvent.RoomLine line, DateTimeOffset at)
    {
        if (length == 0 || line.Kind == LineKind.Tags)
        {
            return;
        }

        if (_lines.Count == length)
        {
            _lines.Dequeue();
        }

        _lines.Enqueue(new ChatEvent.HistoryLine(room, at, line.Nick, line.Text, line.IsAction));
    }

    /// <summary>Replays the kept lines to <paramref name="member"/> as one event; nothing when there are none.</summary>
    public void ReplayTo(IChatMember member)
    {
        if (_lines.Count > 0)
        {
            member.Deliver(new ChatEvent.HistoryReplay(room, [.. _lines]));
        }
    }

    /// <summary>Replaces the kept lines with <paramref name="lines"/> (a cluster room's history, read from Redis).</summary>
    public void Seed(IEnumerable<ChatEvent.HistoryLine> lines)
    {
        _lines.Clear();
        foreach (var line in lines)
        {
            _lines.Enqueue(line);
        }
    }
}
