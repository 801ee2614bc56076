using System.Text;

namespace ChatServer.Tests.Fuzz;

/// <summary>
/// Deterministic random input for fuzzing: uniform bytes, or bytes biased towards what matters to
/// the input path (telnet IAC sequences, every line ending, control characters and escapes, C1 and
/// bidi characters in UTF-8, broken UTF-8, command prefixes), or long runs that cross the line limit.
/// </summary>
internal static class RandomInput
{
    private static readonly byte[][] s_tokens =
    [
        [0xFF], [0xFF, 0xFF], [0xFF, 0xFD], [0xFF, 0xFB], [0xFF, 0xFC], [0xFF, 0xFE], [0xFF, 0xFA], [0xFF, 0xF0],
        [0xFF, 0xF4, 0xFF, 0xFD, 0x06], [0xFF, 0xFA, 0x18, 0x00], [0xFF, 0xF1], [0xFF, 0xF6],
        [(byte)'\r'], [(byte)'\n'], [(byte)'\r', (byte)'\n'], [(byte)'\r', 0], [0], [(byte)'\t'], [(byte)' '],
        [0x1B], [0x07], [0x08], [0x0B], [0x0C], [0x7F], [0x9B], [0x85],
        .. new[]
        {
            "\u001b[2J", "\u001b]0;title\u0007", "\u001b[10;10H", "\u0085", "\u009b", "\u202e", "\u2066", "\u2069", "\u202a", "\u200f", "\u2028", "\u061c",
            "é", "日本", "😀", "\uFFFD", "/nick ", "/join #", "/msg ", "/me ", "/ping ", "/who", "//", "/",
        }.Select(Encoding.UTF8.GetBytes),
        [0xC3], [0xE6, 0x97], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x16, 0x03],

        // BINARY negotiation, and what Linux telnet outside BINARY mode makes of у, ✓, 业, я: a key command inside a UTF-8 sequence.
        [0xFF, 0xFD, 0x00], [0xFF, 0xFB, 0x00], [0xFF, 0xFE, 0x00], [0xFF, 0xFC, 0x00],
        [0xD1, 0xFF, 0xF4, 0xFF, 0xFD, 0x06], [0xE2, 0xFF, 0xF3, 0xFF, 0xFD, 0x06, 0x93], [0xE4, 0xB8, 0xFF, 0xED], [0xD1, 0xFF, 0xF5],
        [0xD1], [0xE2], [0xF0, 0x9F], [0xFF, 0xEE], [0xFF, 0xEC],
    ];

    /// <summary>Random bytes of exactly <paramref name="length"/>, in one of several styles.</summary>
    public static byte[] Next(Random random, int length)
    {
        var bytes = new byte[length];
        switch (random.Next(4))
        {
            case 0:
                random.NextBytes(bytes);
                break;
            case 1:
                // Long printable runs with a rare line end: crosses the line limit often.
                for (var i = 0; i < length; i++)
                {
                    bytes[i] = random.Next(300) == 0 ? (byte)'\n' : (byte)random.Next(' ', '\u007f');
                }

                break;
            default:
                for (var i = 0; i < length;)
                {
                    if (random.Next(3) == 0)
                    {
                        var token = s_tokens[random.Next(s_tokens.Length)];
                        var n = Math.Min(token.Length, length - i);
                        token.AsSpan(0, n).CopyTo(bytes.AsSpan(i));
                        i += n;
                    }
                    else
                    {
                        bytes[i++] = (byte)random.Next(' ', '\u007f');
                    }
                }

                break;
        }

        return bytes;
    }

    /// <summary>Cuts <paramref name="bytes"/> into random chunks (sometimes single bytes, sometimes all at once).</summary>
    public static IEnumerable<byte[]> Chunks(Random random, byte[] bytes)
    {
        var style = random.Next(4);
        for (var i = 0; i < bytes.Length;)
        {
            var size = style switch
            {
                0 => 1,
                1 => random.Next(1, 8),
                2 => random.Next(1, 600),
                _ => bytes.Length,
            };
            size = Math.Min(size, bytes.Length - i);
            yield return bytes[i..(i + size)];
            i += size;
        }
    }
}
