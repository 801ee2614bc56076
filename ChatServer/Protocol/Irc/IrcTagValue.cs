using System.Text;

namespace ChatServer.Protocol.Irc;

/// <summary>The escaping of tag values (IRCv3 message-tags): <c>\:</c> for <c>;</c>, <c>\s</c> for space, <c>\\</c>, <c>\r</c>, <c>\n</c>.</summary>
internal static class IrcTagValue
{
    /// <summary>The value as written on the wire.</summary>
    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny("; \\\r\n") < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                ';' => "\\:",
                ' ' => "\\s",
                '\\' => "\\\\",
                '\r' => "\\r",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>The value a client meant; an unknown escape stands for its character and a lone trailing <c>\</c> is dropped.</summary>
    public static string Unescape(ReadOnlySpan<char> raw)
    {
        if (raw.IndexOf('\\') < 0)
        {
            return raw.ToString();
        }

        var builder = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\')
            {
                builder.Append(raw[i]);
                continue;
            }

            if (++i == raw.Length)
            {
                break;
            }

            builder.Append(raw[i] switch
            {
                ':' => ';',
                's' => ' ',
                'r' => '\r',
                'n' => '\n',
                var other => other,
            });
        }

        return builder.ToString();
    }
}
