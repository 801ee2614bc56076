namespace ChatServer.Protocol.Irc;

/// <summary>
/// One IRC message as a client sends it (Modern IRC, "Message format"):
/// <c>[@tags ][:source ]COMMAND[ params][ :trailing]</c>. The command is upper-cased; a source sent by a
/// client is parsed and ignored, as servers do; tags are kept (client-only tags, <c>+</c>, are relayed by <c>message-tags</c>).
/// </summary>
/// <param name="Tags">The tags, unescaped, in the order sent; empty when there were none.</param>
/// <param name="Command">The command, upper-case (<c>PRIVMSG</c>, <c>001</c>).</param>
/// <param name="Parameters">The parameters, the trailing one last (it may be empty or hold spaces).</param>
internal sealed record IrcMessage(IReadOnlyList<KeyValuePair<string, string>> Tags, string Command, IReadOnlyList<string> Parameters)
{
    /// <summary>The most bytes of the part after the tags, CR LF included (RFC 1459's 512).</summary>
    public const int MaxBodyBytes = 512;

    /// <summary>The most bytes of the tags a client may send, the <c>@</c> and the space included (IRCv3 message-tags).</summary>
    public const int MaxClientTagBytes = 4096;

    /// <summary>The most bytes of the tags, the server's included (IRCv3 message-tags: 8191).</summary>
    public const int MaxTagBytes = 8191;

    /// <summary>Whether <paramref name="line"/> (without its CR LF) is over IRC's limits: 510 bytes after the tags, 4096 for the tags with their <c>@</c> and space.</summary>
    public static bool IsTooLong(string line)
    {
        var body = line.AsSpan();
        if (body.StartsWith("@"))
        {
            var space = body.IndexOf(' ');
            // The '@', the tags and the space after them: at most MaxClientTagBytes, so the space is at index 4095 at most.
            if (space < 0 ? body.Length >= MaxClientTagBytes : space >= MaxClientTagBytes)
            {
                return true;
            }

            body = space < 0 ? [] : body[(space + 1)..];
        }

        return body.Length > MaxBodyBytes - 2 && System.Text.Encoding.UTF8.GetByteCount(body) > MaxBodyBytes - 2;
    }

    /// <summary>Parameter <paramref name="index"/>, or null when there are fewer.</summary>
    public string? this[int index] => index < Parameters.Count ? Parameters[index] : null;

    /// <summary>
    /// Parses one line (without its line ending). Returns null for a line that holds no command (blank,
    /// only a source or only tags): servers ignore those silently.
    /// </summary>
    public static IrcMessage? Parse(string line)
    {
        var rest = line.AsSpan().TrimStart(' ');
        IReadOnlyList<KeyValuePair<string, string>> tags = [];
        if (rest.StartsWith("@"))
        {
            var end = rest.IndexOf(' ');
            if (end < 0)
            {
                return null;
            }

            tags = ParseTags(rest[1..end]);
            rest = rest[end..].TrimStart(' ');
        }

        if (rest.StartsWith(":"))
        {
            var end = rest.IndexOf(' ');
            if (end < 0)
            {
                return null;
            }

            rest = rest[end..].TrimStart(' ');
        }

        var commandEnd = rest.IndexOf(' ');
        var command = (commandEnd < 0 ? rest : rest[..commandEnd]).ToString().ToUpperInvariant();
        if (command.Length == 0)
        {
            return null;
        }

        var parameters = new List<string>();
        rest = commandEnd < 0 ? [] : rest[commandEnd..];
        while (true)
        {
            rest = rest.TrimStart(' ');
            if (rest.IsEmpty)
            {
                break;
            }

            if (rest[0] == ':')
            {
                parameters.Add(rest[1..].ToString());
                break;
            }

            var end = rest.IndexOf(' ');
            parameters.Add((end < 0 ? rest : rest[..end]).ToString());
            rest = end < 0 ? [] : rest[end..];
        }

        return new IrcMessage(tags, command, parameters);
    }

    /// <summary>The value of the tag <paramref name="key"/>, or null.</summary>
    public string? Tag(string key)
    {
        foreach (var (name, value) in Tags)
        {
            if (name == key)
            {
                return value;
            }
        }

        return null;
    }

    private static List<KeyValuePair<string, string>> ParseTags(ReadOnlySpan<char> text)
    {
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var range in text.Split(';'))
        {
            var tag = text[range];
            if (tag.IsEmpty)
            {
                continue;
            }

            var equals = tag.IndexOf('=');
            var key = (equals < 0 ? tag : tag[..equals]).ToString();
            var value = equals < 0 ? "" : IrcTagValue.Unescape(tag[(equals + 1)..]);

            // A later tag with the same key wins (message-tags: "the last one").
            tags.RemoveAll(existing => existing.Key == key);
            tags.Add(new(key, value));
        }

        return tags;
    }
}
