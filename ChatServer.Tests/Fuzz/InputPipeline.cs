using System.Buffers;
using ChatServer.Decoding;
using ChatServer.Protocol;

namespace ChatServer.Tests.Fuzz;

/// <summary>
/// The server's own input path without the socket: raw bytes → <see cref="InputDecoder"/> (the type
/// every connection's reader uses) → <see cref="CommandParser.Parse"/>.
/// </summary>
internal sealed class InputPipeline(int maxLineBytes)
{
    public const string TooLong = "<too long>";

    private readonly InputDecoder _decoder = new(maxLineBytes, offerTelnetBinary: true);

    public int MaxLineBytes => maxLineBytes;

    /// <summary>Bytes of an unterminated line the decoder holds after the last feed.</summary>
    public long Pending => _decoder.PendingBytes;

    /// <summary>Telnet answers produced by the last feed.</summary>
    public byte[] Replies { get; private set; } = [];

    /// <summary>Clean bytes the telnet filter produced on the last feed.</summary>
    public int FilteredBytes => _decoder.LastFilteredBytes;

    /// <summary>Feeds one read's worth of bytes; returns what the decoder produced: decoded, sanitised lines, or <see cref="TooLong"/>.</summary>
    public Task<IReadOnlyList<Framed>> FeedAsync(byte[] chunk)
    {
        var replies = new ArrayBufferWriter<byte>();
        var lines = new List<DecodedLine>();
        _decoder.Decode(chunk, lines, replies);
        Replies = replies.WrittenSpan.ToArray();
        IReadOnlyList<Framed> results = lines
            .Select(line => line.Text is { } text
                ? new Framed(text, line.RawBytes, CommandParser.Parse(text))
                : new Framed(TooLong, -1, null))
            .ToList();
        return Task.FromResult(results);
    }

    /// <summary>One decoder result: the sanitised text (or <see cref="TooLong"/>), the raw line's byte length, and its command.</summary>
    public sealed record Framed(string Text, long RawBytes, Command? Command);
}
