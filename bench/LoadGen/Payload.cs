using System.Runtime.CompilerServices;

namespace LoadGen;

/// <summary>
/// The message body <c>B &lt;sender&gt; &lt;seq&gt; &lt;t_ns&gt;</c> of loadgen.c, written into and read from byte
/// spans (no strings on the hot path). A receiver finds it anywhere in a line, so a server's
/// <c>[#room] &lt;nick&gt; </c> prefix is fine.
/// </summary>
internal static class Payload
{
    /// <summary>Longest payload line without padding: "B " + 10 + " " + 10 + " " + 20 + " " + CRLF.</summary>
    public const int MaxUnpaddedLength = 48;

    /// <summary>Writes one payload line into <paramref name="destination"/>; returns its length.</summary>
    public static int Format(Span<byte> destination, uint sender, uint seq, long sentNs, int pad, ReadOnlySpan<byte> eol)
    {
        destination[0] = (byte)'B';
        destination[1] = (byte)' ';
        var length = 2;
        sender.TryFormat(destination[length..], out var written);
        length += written;
        destination[length++] = (byte)' ';
        seq.TryFormat(destination[length..], out written);
        length += written;
        destination[length++] = (byte)' ';
        ((ulong)sentNs).TryFormat(destination[length..], out written);
        length += written;
        if (pad > 0)
        {
            destination[length++] = (byte)' ';
            destination.Slice(length, pad).Fill((byte)'x');
            length += pad;
        }

        eol.CopyTo(destination[length..]);
        return length + eol.Length;
    }

    /// <summary>
    /// Finds a payload in <paramref name="line"/> as loadgen.c does: a 'B' at the start or after a
    /// space or colon, a space, three decimal numbers separated by single spaces, then the end or a space.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out uint sender, out uint seq, out long sentNs)
    {
        var from = 0;
        while (from < line.Length)
        {
            var found = line[from..].IndexOf((byte)'B');
            if (found < 0)
            {
                break;
            }

            var p = from + found;
            if ((p == 0 || line[p - 1] == ' ' || line[p - 1] == ':') && p + 1 < line.Length && line[p + 1] == ' '
                && TryNumbers(line[(p + 2)..], out var a, out var b, out var t))
            {
                if (a > uint.MaxValue || b > uint.MaxValue)
                {
                    break;
                }

                sender = (uint)a;
                seq = (uint)b;
                sentNs = (long)t;
                return true;
            }

            from = p + 1;
        }

        sender = 0;
        seq = 0;
        sentNs = 0;
        return false;
    }

    // "A B T" followed by the end or a space.
    private static bool TryNumbers(ReadOnlySpan<byte> text, out ulong a, out ulong b, out ulong t)
    {
        b = t = 0;
        var x = Digits(text, out a);
        if (x == 0 || x >= text.Length || text[x] != ' ')
        {
            return false;
        }

        text = text[(x + 1)..];
        x = Digits(text, out b);
        if (x == 0 || x >= text.Length || text[x] != ' ')
        {
            return false;
        }

        text = text[(x + 1)..];
        x = Digits(text, out t);
        return x > 0 && (x == text.Length || text[x] == ' ');
    }

    // The leading decimal digits of text (at most 20, as loadgen.c reads them); returns how many.
    // Parsing is most of the receive path's CPU: the loop keeps everything in registers (no ref
    // or out updates inside it) and walks the span without bounds checks.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Digits(ReadOnlySpan<byte> text, out ulong value)
    {
        ulong v = 0;
        var n = 0;
        foreach (var ch in text)
        {
            var digit = (uint)(ch - '0');
            if (digit > 9 || n == 20)
            {
                break;
            }

            v = (v * 10) + digit;
            n++;
        }

        value = v;
        return n;
    }
}
