using System.Text;
using ChatServer.Sessions;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// The state of one IRC connection that its command handlers share, and how they answer: numerics
/// from the server, addressed to the client's nick (<c>*</c> before it has one). Lives on the
/// connection's worker loop, one command at a time.
/// </summary>
internal sealed class IrcConnection(Session session, IClientLink link, IrcServer server)
{
    /// <summary>The chat side of the person.</summary>
    public Session Session { get; } = session;

    /// <summary>The connection's worker: output and leaving.</summary>
    public IClientLink Link { get; } = link;

    /// <summary>The server's shared settings.</summary>
    public IrcServer Server { get; } = server;

    /// <summary>The capabilities the client enabled.</summary>
    public IrcCapabilities Capabilities
    {
        get;
        set
        {
            field = value;
            Format = Server.FormatFor(value);
        }
    }

    /// <summary>How chat events are written for this client's capabilities.</summary>
    public IrcEventFormat Format { get; private set; } = server.FormatFor(IrcCapabilities.None);

    /// <summary>Whether the welcome has been sent: every command is open, not only registration's.</summary>
    public bool IsRegistered { get; set; }

    /// <summary>
    /// The nick: the one NICK asked for until registration completes, then the session's (which presence may
    /// change: a registry restart, a cluster split), so numerics and sources never name a nick the person lost.
    /// </summary>
    public string? Nick
    {
        get => IsRegistered ? Session.Nick : field;
        set;
    }

    /// <summary>The user name from <c>USER</c>, once given.</summary>
    public string? User { get; set; }


    /// <summary>Who the numerics are addressed to: the nick, or <c>*</c> before registration gave one.</summary>
    public string Target => Nick ?? "*";

    /// <summary>This person's <c>nick!user@host</c>.</summary>
    public string Source => $"{Target}!{User ?? Target}@{Link.Host}";

    /// <summary>Whether <paramref name="capability"/> is enabled.</summary>
    public bool Has(IrcCapabilities capability) => (Capabilities & capability) != 0;

    /// <summary>Sends numeric <paramref name="numeric"/> to the client: <c>:server NNN nick params</c>.</summary>
    public void Reply(string numeric, params ReadOnlySpan<string> parameters)
    {
        string[] all = [Target, .. parameters];
        Link.Write(OutboundLine.From(IrcLine.Build(null, Server.Name, numeric, all)));
    }

    /// <summary>
    /// Sends numeric <paramref name="numeric"/> with <paramref name="leading"/> and then <paramref name="words"/>,
    /// space-separated, as the last parameter: in as many lines as it takes to keep each within IRC's 512 bytes
    /// (NAMES of a large room, the channels of WHOIS). Nothing when there are no words.
    /// </summary>
    public void ReplyWords(string numeric, string[] leading, IEnumerable<string> words)
    {
        // ":server NNN nick leading... :" and CR LF around the words.
        var budget = IrcMessage.MaxBodyBytes - 2 - Encoding.UTF8.GetByteCount($":{Server.Name} {numeric} {Target} {string.Join(' ', leading)} :");
        var line = new StringBuilder();
        var used = 0;
        foreach (var word in words)
        {
            var bytes = Encoding.UTF8.GetByteCount(word);
            if (line.Length > 0 && used + 1 + bytes > budget)
            {
                Reply(numeric, [.. leading, line.ToString()]);
                line.Clear();
                used = 0;
            }

            used += (line.Length > 0 ? 1 : 0) + bytes;
            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        if (line.Length > 0)
        {
            Reply(numeric, [.. leading, line.ToString()]);
        }
    }

    /// <summary>Sends a line from the server (<c>:server COMMAND params</c>).</summary>
    public void FromServer(string command, params ReadOnlySpan<string> parameters) =>
        Link.Write(OutboundLine.From(IrcLine.Build(null, Server.Name, command, parameters)));

    /// <summary>Sends a line about this person's own doing (<c>:nick!user@host COMMAND params</c>), with the time tag when server-time is on.</summary>
    public void FromSelf(string command, params ReadOnlySpan<string> parameters) =>
        Link.Write(OutboundLine.From(IrcLine.Build(Format.TimeTag(Server.Time.GetUtcNow()), Source, command, parameters)));

    /// <summary>As <see cref="FromSelf"/>, written after the mail already queued for this connection (<see cref="IClientLink.WriteAfterQueued"/>).</summary>
    public void FromSelfAfterQueued(string command, params ReadOnlySpan<string> parameters) =>
        Link.WriteAfterQueued(OutboundLine.From(IrcLine.Build(Format.TimeTag(Server.Time.GetUtcNow()), Source, command, parameters)));

    /// <summary>ERR_NEEDMOREPARAMS for <paramref name="command"/>.</summary>
    public void NeedMoreParams(string command) => Reply(IrcNumerics.NeedMoreParams, command, "Not enough parameters");
}
