using System.Buffers;
using System.Text;

namespace ChatServer.Decoding;

/// <summary>
/// Makes untrusted text safe to show on other people's terminals and in logs: C0 and C1 control
/// characters (ESC, CR, BS, BEL, NUL, ...), DEL, and the Unicode bidi overrides and isolates are
/// removed, as are the bidi marks (U+061C, U+200E, U+200F) and the line and paragraph separators
/// (U+2028, U+2029), so no line can move a cursor, clear a screen, set a title or reorder what others see.
/// Tabs stay. Invalid UTF-8 has already become U+FFFD when decoding.
/// </summary>
public static class TextSanitizer
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(BuildUnsafe());

    /// <summary>Decodes <paramref name="bytes"/> as UTF-8 (invalid sequences become U+FFFD) and sanitises the result.</summary>
    public static string Decode(in ReadOnlySequence<byte> bytes) => Sanitize(Encoding.UTF8.GetString(bytes));

    /// <summary>Returns <paramref name="text"/> without unsafe characters; the same instance when there were none.</summary>
    public static string Sanitize(string text)
    {
        var first = text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            if (!Unsafe.Contains(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string BuildUnsafe()
    {
        var chars = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            if (c != '\t')
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
