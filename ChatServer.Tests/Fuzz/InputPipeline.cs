using System.Buffers;
using System.IO.Pipelines;
using ChatServer.Network;
using ChatServer.Protocol;

namespace ChatServer.Tests.Fuzz;

/// <summary>
/// The client read loop's input path without the socket, as the server wires it: raw bytes →
/// <see cref="TelnetFilter"/> → a pipe → <see cref="LineFramer"/> (the unconsumed rest kept in the
/// pipe between reads) → <see cref="TextSanitizer.Decode"/> → <see cref="CommandParser.Parse"/>.
/// </summary>
internal sealed class InputPipeline(int maxLineBytes)
{
    public const string TooLong = "<too long>";

    private readonly TelnetFilter _telnet = new(offerBinary: true);
    private readonly LineFramer _framer = new(maxLineBytes);
    private readonly Pipe _clean = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    private readonly ArrayBufferWriter<byte> _data = new();

    public int MaxLineBytes => maxLineBytes;

    /// <summary>Bytes of an unterminated line the framer holds after the last feed.</summary>
    public long Pending { get; private set; }

    /// <summary>Telnet answers produced by the last feed.</summary>
    public byte[] Replies { get; private set; } = [];

    /// <summary>Clean bytes the telnet filter produced on the last feed.</summary>
    public int FilteredBytes { get; private set; }

    /// <summary>Feeds one read's worth of bytes; returns what the framer produced: decoded, sanitised lines, or <see cref="TooLong"/>.</summary>
    public async Task<IReadOnlyList<Framed>> FeedAsync(byte[] chunk)
    {
        var replies = new ArrayBufferWriter<byte>();
        _data.ResetWrittenCount();
        _telnet.Filter(chunk, _data, replies);
        Replies = replies.WrittenSpan.ToArray();
        FilteredBytes = _data.WrittenCount;
        _clean.Writer.Write(_data.WrittenSpan);
        await _clean.Writer.FlushAsync();

        var results = new List<Framed>();
        if (_clean.Reader.TryRead(out var read))
        {
            var buffer = read.Buffer;
            while (true)
            {
                var frame = _framer.TryRead(ref buffer, out var line);
                if (frame == FrameResult.NeedMore)
                {
                    break;
                }

                if (frame == FrameResult.TooLong)
                {
                    results.Add(new Framed(TooLong, -1, null));
                    continue;
                }

                var text = TextSanitizer.Decode(line);
                results.Add(new Framed(text, line.Length, CommandParser.Parse(text)));
            }

            Pending = buffer.Length;
            _clean.Reader.AdvanceTo(buffer.Start, buffer.End);
        }

        return results;
    }

    /// <summary>One framer result: the sanitised text (or <see cref="TooLong"/>), the raw line's byte length, and its command.</summary>
    public sealed record Framed(string Text, long RawBytes, Command? Command);
}
