namespace ChatServer.Chat;

/// <summary>
/// The lines a room relayed in one turn (everything its mailbox held), in order, handed to every
/// member as one mailbox item: under load a recipient takes a burst of lines in one step instead
/// of one mailbox round trip per line. The same instance goes to every member, so a batch costs
/// nothing per recipient; each member skips the lines it sent itself (<see cref="ChatEvent.RoomLine.Sender"/>).
/// </summary>
public sealed class RoomBatch(IReadOnlyList<ChatEvent.RoomLine> lines)
{
    private readonly ChatEvent.RoomLine[] _lines = [.. lines];

    /// <summary>How many lines the batch holds.</summary>
    public int Count => _lines.Length;

    /// <summary>The line at <paramref name="index"/>.</summary>
    public ChatEvent.RoomLine this[int index] => _lines[index];
}
