using System.Text;

namespace ChatServer.Protocol;

/// <summary>
/// One server line (or a few, written together), encoded once as UTF-8 with its CRLF, so a room can
/// hand the same instance to every recipient without encoding or allocating per recipient.
/// </summary>
public sealed class OutboundLine
{
    private OutboundLine(byte[] bytes) => Bytes = bytes;

    /// <summary>The encoded line, CRLF included (each line's, when several).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Nothing to send: an event this recipient's protocol does not show (a CTCP query to a line user).</summary>
    public static OutboundLine Empty { get; } = new([]);

    /// <summary>Encodes <paramref name="text"/> (which must not contain a line break) followed by CRLF.</summary>
    public static OutboundLine From(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 2];
        var written = Encoding.UTF8.GetBytes(text, bytes);
        bytes[written] = (byte)'\r';
        bytes[written + 1] = (byte)'\n';
        return new OutboundLine(bytes);
    }

    /// <summary>The lines of <paramref name="lines"/> one after another, as one write (a history replay).</summary>
    public static OutboundLine Concat(IReadOnlyList<OutboundLine> lines)
    {
        var bytes = new byte[lines.Sum(line => line.Bytes.Length)];
        var at = 0;
        foreach (var line in lines)
        {
            line.Bytes.Span.CopyTo(bytes.AsSpan(at));
            at += line.Bytes.Length;
        }

        return new OutboundLine(bytes);
    }

    /// <summary>The line without its final CRLF (lines separated by CRLF, when several), for logs and tests.</summary>
    public override string ToString() => Bytes.IsEmpty ? "" : Encoding.UTF8.GetString(Bytes.Span[..^2]);
}
