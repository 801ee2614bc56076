using System.Text;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// IRC's in-band text codes: CTCP (<c>\x01COMMAND args\x01</c>) and mIRC formatting (bold, colours,
/// italics, ...). IRC users get them as sent; line users never see them (<see cref="StripForLineUsers"/>).
/// </summary>
internal static class IrcFormatting
{
    /// <summary>The CTCP delimiter.</summary>
    public const char Ctcp = '\x01';

    /// <summary>The codes kept on input for IRC users.</summary>
    public const string Codes = Decoding.TextSanitizer.IrcCodes;

    /// <summary>Whether <paramref name="text"/> is a CTCP message (<c>\x01...</c>).</summary>
    public static bool IsCtcp(string text) => text.Length > 1 && text[0] == Ctcp;

    /// <summary>Reads a CTCP ACTION (<c>\x01ACTION waves\x01</c>): its text, or null when <paramref name="text"/> is not one.</summary>
    public static string? ActionText(string text)
    {
        const string Prefix = "\u0001ACTION";
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var body = text.AsSpan(Prefix.Length).TrimEnd(Ctcp);
        return body.IsEmpty ? "" : body[0] == ' ' ? body[1..].ToString() : null;
    }

    /// <summary>The CTCP ACTION of <paramref name="text"/>.</summary>
    public static string Action(string text) => $"{Ctcp}ACTION {text}{Ctcp}";

    /// <summary>
    /// <paramref name="text"/> as a line user sees it: CTCP other than ACTION is dropped whole (null),
    /// and the formatting codes and colour numbers are removed. The same instance when there were none.
    /// </summary>
    public static string? StripForLineUsers(string text)
    {
        if (IsCtcp(text))
        {
            return null;
        }

        if (text.AsSpan().IndexOfAny(Codes) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\x03':
                    // Colour: up to two digits, then optionally a comma and up to two more.
                    i = SkipDigits(text, i + 1, 2);
                    if (i + 1 < text.Length && text[i + 1] == ',' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2]))
                    {
                        i = SkipDigits(text, i + 2, 2);
                    }

                    break;
                case '\x04':
                    // Hex colour: six hex digits, then optionally a comma and six more.
                    i = SkipHex(text, i + 1);
                    if (i + 1 < text.Length && text[i + 1] == ',')
                    {
                        i = SkipHex(text, i + 2);
                    }

                    break;
                case var c when Codes.Contains(c):
                    break;
                case var c:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Skips up to <paramref name="most"/> digits from <paramref name="from"/>; returns the index of the last one skipped (or <paramref name="from"/> - 1).</summary>
    private static int SkipDigits(string text, int from, int most)
    {
        var i = from;
        while (i < text.Length && i - from < most && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - 1;
    }

    private static int SkipHex(string text, int from)
    {
        var i = from;
        while (i < text.Length && i - from < 6 && char.IsAsciiHexDigit(text[i]))
        {
            i++;
        }

        return i - 1;
    }
}
