using System.Text;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// Writes one IRC line: <c>[@tags ][:source ]COMMAND params</c>. The last parameter is written as
/// trailing (<c>:</c>), as most servers do, except where it is a name or a mode (a MODE's, a lone
/// channel of JOIN or PART): some clients (ii) read a message's text only after a <c>:</c>, and file a
/// PART under its channel only without one.
/// </summary>
internal static class IrcLine
{
    private static readonly HashSet<string> s_bareLast = ["MODE", "BATCH", "221", "324"];
    private static readonly HashSet<string> s_bareLone = ["JOIN", "PART"];

    /// <summary>The line (without CR LF) from <paramref name="source"/> (null: none).</summary>
    public static string Build(string? tags, string? source, string command, params ReadOnlySpan<string> parameters)
    {
        var builder = new StringBuilder(64);
        if (!string.IsNullOrEmpty(tags))
        {
            builder.Append('@').Append(tags).Append(' ');
        }

        if (source is not null)
        {
            builder.Append(':').Append(source).Append(' ');
        }

        builder.Append(command);
        for (var i = 0; i < parameters.Length; i++)
        {
            builder.Append(' ');
            var parameter = parameters[i];
            if (i < parameters.Length - 1 && (parameter.Length == 0 || parameter[0] == ':' || parameter.Contains(' ')))
            {
                // Only the last parameter may be empty, start with ':' or hold spaces (a client's bad nick echoed in 432).
                parameter = "*";
            }

            if (i == parameters.Length - 1 && (parameter.Length == 0 || parameter[0] == ':' || parameter.Contains(' ') || !IsBare(command, parameters.Length)))
            {
                builder.Append(':');
            }

            builder.Append(parameter);
        }

        return builder.ToString();
    }

    private static bool IsBare(string command, int count) => s_bareLast.Contains(command) || (count == 1 && s_bareLone.Contains(command));

    /// <summary>
    /// Splits <paramref name="text"/> into pieces of at most <paramref name="maxBytes"/> UTF-8 bytes, at
    /// character boundaries (a line user's message can be longer than one IRC line holds).
    /// </summary>
    public static IEnumerable<string> Split(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            yield return text;
            yield break;
        }

        var start = 0;
        var bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 4 : Encoding.UTF8.GetByteCount(text.AsSpan(i, 1));
            if (bytes + width > maxBytes)
            {
                yield return text[start..i];
                start = i;
                bytes = 0;
            }

            bytes += width;
            if (width == 4)
            {
                i++;
            }
        }

        yield return text[start..];
    }
}
