namespace ChatServer.Tests.Support;

/// <summary>
/// One line from the server as an IRC client reads it, parsed independently of the server's own parser:
/// <c>[@tags ][:source ]COMMAND params [:trailing]</c>.
/// </summary>
public sealed record IrcReply(string Raw, IReadOnlyDictionary<string, string> Tags, string? Source, string Command, IReadOnlyList<string> Params)
{
    /// <summary>The nick of the source (<c>nick!user@host</c>), or the source itself.</summary>
    public string? SourceNick => Source?.Split('!')[0];

    /// <summary>The last parameter, or "".</summary>
    public string Trailing => Params.Count > 0 ? Params[^1] : "";

    /// <summary>Parses <paramref name="line"/>.</summary>
    public static IrcReply Parse(string line)
    {
        var rest = line;
        var tags = new Dictionary<string, string>();
        if (rest.StartsWith('@'))
        {
            var end = rest.IndexOf(' ');
            foreach (var tag in rest[1..end].Split(';'))
            {
                var equals = tag.IndexOf('=');
                tags[equals < 0 ? tag : tag[..equals]] = equals < 0 ? "" : tag[(equals + 1)..];
            }

            rest = rest[(end + 1)..];
        }

        string? source = null;
        if (rest.StartsWith(':'))
        {
            var end = rest.IndexOf(' ');
            source = rest[1..end];
            rest = rest[(end + 1)..];
        }

        var trailingAt = rest.IndexOf(" :", StringComparison.Ordinal);
        var head = trailingAt < 0 ? rest : rest[..trailingAt];
        var words = head.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (trailingAt >= 0)
        {
            words.Add(rest[(trailingAt + 2)..]);
        }

        return new IrcReply(line, tags, source, words[0], words.Skip(1).ToList());
    }

    /// <inheritdoc />
    public override string ToString() => Raw;
}
