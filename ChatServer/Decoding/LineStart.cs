using System.Buffers.Binary;

namespace ChatServer.Decoding;

/// <summary>
/// The first bytes of a line, kept without allocating: enough to see whether the line starts like an
/// HTTP request (a method and a space), whose CRLF line end must not be taken for telnet's.
/// </summary>
internal struct LineStart
{
    // "OPTIONS " and "CONNECT ": the longest method and its space.
    private const int Capacity = sizeof(ulong);

    private ulong _bytes;
    private int _length;

    /// <summary>Whether the bytes so far start like an HTTP request line.</summary>
    public readonly bool LooksLikeHttp
    {
        get
        {
            Span<byte> head = stackalloc byte[Capacity];
            BinaryPrimitives.WriteUInt64LittleEndian(head, _bytes);
            return ProtocolSniffer.Detect(head[.._length]) == "HTTP";
        }
    }

    /// <summary>Keeps the first of <paramref name="bytes"/> until the start is full.</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (_length == Capacity)
            {
                return;
            }

            _bytes |= (ulong)b << (8 * _length++);
        }
    }
}
