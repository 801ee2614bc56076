using System.Buffers;
using ChatServer.Network;
using ChatServer.Protocol;

namespace ChatServer.Decoding;

/// <summary>
/// The input path of one connection, from raw bytes to lines: telnet filter → line framer → UTF-8
/// decoding and sanitising. The reader of every connection and the fuzz tests use this one type.
/// Keeps its state across calls; the bytes of an unfinished line are held in a buffer rented from
/// <see cref="ArrayPool{T}.Shared"/> only while there are any, so an idle connection holds none.
/// Not thread-safe: one reader at a time.
/// </summary>
internal sealed class InputDecoder : IBufferWriter<byte>
{
    /// <summary>Telnet commands out, CR LF / CR NUL normalised to LF.</summary>
    private readonly TelnetFilter _telnet;

    /// <summary>Splits the clean bytes into lines and enforces the line limit.</summary>
    private readonly LineFramer _framer;

    /// <summary>Clean bytes not yet framed (the start of an unfinished line, then the bytes of this call); null while empty.</summary>
    private byte[]? _pending;

    /// <summary>How many bytes of <see cref="_pending"/> are in use.</summary>
    private int _pendingLength;

    /// <summary>Whether IRC's text codes survive sanitising (the IRC port).</summary>
    private readonly bool _keepIrcCodes;

    /// <summary>Decodes lines of at most <paramref name="maxLineBytes"/> bytes; <paramref name="offerTelnetBinary"/> as <see cref="TelnetFilter"/>'s; <paramref name="keepIrcCodes"/> as <see cref="TextSanitizer.Sanitize"/>'s.</summary>
    public InputDecoder(int maxLineBytes, bool offerTelnetBinary, bool keepIrcCodes = false)
    {
        _keepIrcCodes = keepIrcCodes;
        _framer = new LineFramer(maxLineBytes);
        _telnet = new TelnetFilter(offerTelnetBinary);
    }

    /// <summary>The longest line accepted, in bytes.</summary>
    public int MaxLineBytes => _framer.MaxLineBytes;

    /// <summary>Bytes of an unfinished line held after the last call.</summary>
    public int PendingBytes => _pendingLength;

    /// <summary>Clean bytes the telnet filter produced in the last call.</summary>
    public int LastFilteredBytes { get; private set; }

    /// <summary>
    /// Decodes <paramref name="input"/> (one read's worth of bytes): the lines completed by it are added
    /// to <paramref name="lines"/> in order, and the answers owed to the peer's telnet negotiation are
    /// written to <paramref name="replies"/>.
    /// </summary>
    public void Decode(ReadOnlySpan<byte> input, List<DecodedLine> lines, IBufferWriter<byte> replies)
    {
        var before = _pendingLength;
        _telnet.Filter(input, this, replies);
        LastFilteredBytes = _pendingLength - before;
        if (_pendingLength == 0)
        {
            return;
        }

        var buffer = new ReadOnlySequence<byte>(_pending!, 0, _pendingLength);
        while (true)
        {
            var frame = _framer.TryRead(ref buffer, out var line);
            if (frame == FrameResult.NeedMore)
            {
                break;
            }

            lines.Add(frame == FrameResult.Line ? new DecodedLine(TextSanitizer.Decode(line, _keepIrcCodes), (int)line.Length) : default);
        }

        KeepRest(buffer);
    }

    /// <summary>Gives back the buffer of an unfinished line; the connection is done.</summary>
    public void Release()
    {
        if (_pending is { } pending)
        {
            _pending = null;
            _pendingLength = 0;
            ArrayPool<byte>.Shared.Return(pending);
        }
    }

    /// <inheritdoc />
    void IBufferWriter<byte>.Advance(int count) => _pendingLength += count;

    /// <inheritdoc />
    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint) => Reserve(sizeHint).AsMemory(_pendingLength);

    /// <inheritdoc />
    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => Reserve(sizeHint).AsSpan(_pendingLength);

    private byte[] Reserve(int sizeHint)
    {
        var needed = _pendingLength + Math.Max(sizeHint, 1);
        if (_pending is null || _pending.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, BlockPool.BlockSize));
            if (_pending is not null)
            {
                _pending.AsSpan(0, _pendingLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_pending);
            }

            _pending = larger;
        }

        return _pending;
    }

    /// <summary>Moves what the framer left (the start of the next line) to the front, or returns the buffer when nothing is left.</summary>
    private void KeepRest(in ReadOnlySequence<byte> rest)
    {
        var restLength = (int)rest.Length;
        if (restLength == 0)
        {
            Release();
            return;
        }

        var offset = (int)rest.Start.GetInteger();
        _pending.AsSpan(offset, restLength).CopyTo(_pending);
        _pendingLength = restLength;
    }
}
