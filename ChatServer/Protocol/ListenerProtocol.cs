using System.Text;
using ChatServer.Sessions;

namespace ChatServer.Protocol;

/// <summary>A protocol a listener speaks: its name, its adapter, and how it refuses a connection before any adapter exists.</summary>
/// <param name="Name">The protocol's name, for logs.</param>
/// <param name="CreateAdapter">Makes the adapter of one connection.</param>
/// <param name="Refusal">The bytes that tell a refused peer why (<c>server full</c>, ...).</param>
internal sealed record ListenerProtocol(string Name, Func<Session, IClientLink, IProtocolAdapter> CreateAdapter, Func<string, byte[]> Refusal)
{
    /// <summary>The line protocol of docs/protocol.md, for <c>nc</c> and <c>telnet</c>.</summary>
    public static ListenerProtocol Line { get; } = new(
        "chat",
        static (session, link) => new LineProtocolAdapter(session, link),
        static reason => Encoding.UTF8.GetBytes($"! {reason}\r\n"));
}
