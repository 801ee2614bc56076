using System.Globalization;

namespace ChatServer.Protocol.Irc;

/// <summary>Text limits as ISUPPORT advertises them (AWAYLEN, TOPICLEN, KICKLEN): cut at a character boundary, never inside a surrogate pair or a combined character.</summary>
internal static class IrcText
{
    /// <summary><paramref name="text"/>, cut to at most <paramref name="length"/> UTF-16 units at a text element boundary.</summary>
    public static string Truncate(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var cut = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext() && elements.ElementIndex + elements.GetTextElement().Length <= length)
        {
            cut = elements.ElementIndex + elements.GetTextElement().Length;
        }

        return text[..cut];
    }
}
