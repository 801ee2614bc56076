using System.Text;

namespace ChatServer.Protocol;

/// <summary>
/// One server line, encoded once as UTF-8 with its CRLF, so a room can hand the same instance to
/// every recipient without encoding or allocating per recipient.
/// </summary>
public sealed class OutboundLine
{
    private OutboundLine(byte[] bytes) => Bytes = bytes;

    /// <summary>The encoded line, CRLF included.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Encodes <paramref name="text"/> (which must not contain a line break) followed by CRLF.</summary>
    public static OutboundLine From(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 2];
        var written = Encoding.UTF8.GetBytes(text, bytes);
        bytes[written] = (byte)'\r';
        bytes[written + 1] = (byte)'\n';
        return new OutboundLine(bytes);
    }

    /// <summary>The line without its CRLF, for logs and tests.</summary>
    public override string ToString() => Encoding.UTF8.GetString(Bytes.Span[..^2]);
}
