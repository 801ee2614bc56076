using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Clients;

/// <summary>A client worker's own mailbox protocol: input from its connection, timers, and monitors.</summary>
public abstract record ClientMessage
{
    /// <summary>A complete input line, decoded and sanitised.</summary>
    public sealed record LineReceived(string Text) : ClientMessage;

    /// <summary>An input line over the limit was dropped.</summary>
    public sealed record LineTooLong : ClientMessage;

    /// <summary>The peer closed its side (or the connection failed): everything it sent before has been delivered.</summary>
    public sealed record PeerClosed : ClientMessage;

    /// <summary>Bytes owed to the peer that are not lines (telnet answers), sent as they are.</summary>
    public sealed record RawReply(byte[] Bytes) : ClientMessage;

    /// <summary>The peer speaks another protocol (<c>TLS</c>, <c>HTTP</c>): it is told so and closed.</summary>
    public sealed record WrongProtocol(string Protocol) : ClientMessage;

    /// <summary>A line written only after everything queued before it (a pong behind room lines).</summary>
    public sealed record Deferred(OutboundLine Line) : ClientMessage;

    /// <summary>The client quit or its peer closed: leave once everything queued before this (a pong, room lines) is written.</summary>
    public sealed record Leave : ClientMessage;

    /// <summary>Time to check whether the client has been idle too long.</summary>
    public sealed record IdleCheck : ClientMessage;

    /// <summary>A flood-control token is free again: held lines may run (<see cref="FloodDelay"/>).</summary>
    public sealed record FloodRelease : ClientMessage;

    /// <summary>Time for the protocol's own clocks (<see cref="IProtocolAdapter.OnTimer"/>).</summary>
    public sealed record ProtocolTimer : ClientMessage;

    /// <summary>A room this client is in has stopped.</summary>
    public sealed record RoomDown(ProcessDown Down) : ClientMessage;

    /// <summary>The nick registry this client is registered with has stopped.</summary>
    public sealed record PresenceDown : ClientMessage;

    /// <summary>Presence took the nick back (a cluster split): register again.</summary>
    public sealed record RegisterAgain : ClientMessage;
}
