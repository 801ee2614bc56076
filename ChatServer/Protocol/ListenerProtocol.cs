using System.Text;
using ChatServer.Clients;
using ChatServer.Protocol.Irc;
using ChatServer.Sessions;

namespace ChatServer.Protocol;

/// <summary>A protocol a listener speaks: its name, its adapter, how it refuses a connection before any adapter exists, and its clients' limits.</summary>
/// <param name="Name">The protocol's name, for logs.</param>
/// <param name="CreateAdapter">Makes the adapter of one connection.</param>
/// <param name="Refusal">The bytes that tell a refused peer why (<c>server full</c>, ...).</param>
/// <param name="ConfigureClient">The protocol's own client limits, from the server's.</param>
internal sealed record ListenerProtocol(
    string Name,
    Func<Session, IClientLink, IProtocolAdapter> CreateAdapter,
    Func<string, byte[]> Refusal,
    Func<ClientOptions, ClientOptions> ConfigureClient)
{
    /// <summary>The line protocol of docs/protocol.md, for <c>nc</c> and <c>telnet</c>.</summary>
    public static ListenerProtocol Line { get; } = new(
        "chat",
        static (session, link) => new LineProtocolAdapter(session, link),
        static reason => Encoding.UTF8.GetBytes($"! {reason}\r\n"),
        static options => options);

    /// <summary>
    /// IRC (docs/irc.md) as <paramref name="server"/>: lines of 512 bytes plus IRCv3's tags, no telnet
    /// negotiation, IRC's text codes kept for IRC users.
    /// </summary>
    public static ListenerProtocol Irc(IrcServer server) => new(
        "irc",
        (session, link) => new IrcProtocolAdapter(session, link, server),
        static reason => Encoding.UTF8.GetBytes($"ERROR :{reason}\r\n"),
        static options => options with { MaxLineBytes = IrcMessage.MaxTagBytes + IrcMessage.MaxBodyBytes, TelnetBinary = false, KeepIrcCodes = true, DelayFloods = true });
}
