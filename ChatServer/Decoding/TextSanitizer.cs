using System.Buffers;
using System.Text;

namespace ChatServer.Decoding;

/// <summary>
/// Makes untrusted text safe to show on other people's terminals and in logs: C0 and C1 control
/// characters (ESC, CR, BS, BEL, NUL, ...), DEL, and the Unicode bidi overrides and isolates are
/// removed, as are the bidi marks (U+061C, U+200E, U+200F) and the line and paragraph separators
/// (U+2028, U+2029), so no line can move a cursor, clear a screen, set a title or reorder what others see.
/// Tabs stay. Invalid UTF-8 has already become U+FFFD when decoding. IRC's formatting codes (CTCP,
/// bold, colours, ...) move no cursor: on the IRC port they are kept for IRC users
/// (<see cref="IrcCodes"/>), and line users never see them (the line protocol strips them when it writes).
/// </summary>
public static class TextSanitizer
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(BuildUnsafe(keep: ""));
    private static readonly SearchValues<char> UnsafeForIrc = SearchValues.Create(BuildUnsafe(keep: IrcCodes));

    /// <summary>The C0 codes IRC uses in text: CTCP, bold, colour, hex colour, reset, monospace, reverse, italics, strike-through, underline.</summary>
    public const string IrcCodes = "\u0001\u0002\u0003\u0004\u000F\u0011\u0016\u001D\u001E\u001F";

    /// <summary>Decodes <paramref name="bytes"/> as UTF-8 (invalid sequences become U+FFFD) and sanitises the result, keeping IRC's codes when <paramref name="keepIrcCodes"/>.</summary>
    public static string Decode(in ReadOnlySequence<byte> bytes, bool keepIrcCodes = false) => Sanitize(Encoding.UTF8.GetString(bytes), keepIrcCodes);

    /// <summary>Returns <paramref name="text"/> without unsafe characters (IRC's codes kept when <paramref name="keepIrcCodes"/>); the same instance when there were none.</summary>
    public static string Sanitize(string text, bool keepIrcCodes = false)
    {
        var unsafeChars = keepIrcCodes ? UnsafeForIrc : Unsafe;
        var first = text.AsSpan().IndexOfAny(unsafeChars);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            if (!unsafeChars.Contains(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string BuildUnsafe(string keep)
    {
        var chars = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            if (c != '\t' && !keep.Contains(c))
            {
                chars.Append(c);
            }
        }

        for (var c = '\u007F'; c <= '\u009F'; c++)
        {
            chars.Append(c);
        }

        // Bidi embeddings, overrides and isolates (Trojan Source), the bidi marks, and the Unicode line
        // and paragraph separators, which some terminals treat as line breaks.
        chars.Append("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");
        chars.Append("\u061C\u200E\u200F\u2028\u2029");
        return chars.ToString();
    }
}
