using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Chat;

/// <summary>
/// The lines a room relayed in one turn (everything its mailbox held), in order, handed to every
/// member as one mailbox item: under load a recipient takes a burst of lines in one step instead
/// of one mailbox round trip per line. The same instance goes to every member, so a batch costs
/// nothing per recipient; each member skips the lines it sent itself.
/// </summary>
public sealed class RoomBatch
{
    private readonly OutboundLine[] _lines;
    private readonly ProcessId[] _senders;

    /// <summary>A batch of <paramref name="lines"/>, each sent by the member at the same index of <paramref name="senders"/>.</summary>
    public RoomBatch(IReadOnlyList<OutboundLine> lines, IReadOnlyList<ProcessId> senders)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(senders.Count, lines.Count, nameof(senders));
        _lines = [.. lines];
        _senders = [.. senders];
    }

    /// <summary>How many lines the batch holds.</summary>
    public int Count => _lines.Length;

    /// <summary>The line at <paramref name="index"/>.</summary>
    public OutboundLine LineAt(int index) => _lines[index];

    /// <summary>The process of the member who sent the line at <paramref name="index"/>.</summary>
    public ProcessId SenderAt(int index) => _senders[index];
}
