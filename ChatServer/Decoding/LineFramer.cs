using System.Buffers;

namespace ChatServer.Decoding;

/// <summary>
/// Splits a byte stream into lines ending in LF or CRLF. A line longer than the limit is dropped
/// and reported once; its bytes are discarded as they arrive, so no more than the limit (plus the
/// CR of a CRLF) is ever held for one line, even when it trickles in without a newline.
/// </summary>
public sealed class LineFramer(int maxLineBytes)
{
    private bool _discarding;

    /// <summary>The longest line accepted, in bytes, without its line ending.</summary>
    public int MaxLineBytes { get; } = maxLineBytes > 0 ? maxLineBytes : throw new ArgumentOutOfRangeException(nameof(maxLineBytes));

    /// <summary>
    /// Takes the next line from the front of <paramref name="buffer"/>, advancing it past what was
    /// consumed. On <see cref="FrameResult.NeedMore"/> the caller keeps the remaining buffer.
    /// </summary>
    public FrameResult TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        line = default;
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            if (_discarding)
            {
                buffer = buffer.Slice(buffer.End);
                return FrameResult.NeedMore;
            }

            // A line at the limit may still be waiting for the LF of its CRLF: only that CR is held beyond the limit.
            if (buffer.Length > MaxLineBytes && (buffer.Length > MaxLineBytes + 1 || !EndsWithCarriageReturn(buffer)))
            {
                _discarding = true;
                buffer = buffer.Slice(buffer.End);
                return FrameResult.TooLong;
            }

            return FrameResult.NeedMore;
        }

        var content = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        if (_discarding)
        {
            _discarding = false;
            return TryRead(ref buffer, out line);
        }

        if (content.Length > 0 && EndsWithCarriageReturn(content))
        {
            content = content.Slice(0, content.Length - 1);
        }

        if (content.Length > MaxLineBytes)
        {
            return FrameResult.TooLong;
        }

        line = content;
        return FrameResult.Line;
    }

    private static bool EndsWithCarriageReturn(in ReadOnlySequence<byte> content)
    {
        var reader = new SequenceReader<byte>(content);
        reader.Advance(content.Length - 1);
        return reader.TryPeek(out var last) && last == (byte)'\r';
    }
}
