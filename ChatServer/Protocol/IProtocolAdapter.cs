using ChatServer.Chat;

namespace ChatServer.Protocol;

/// <summary>
/// One protocol's side of a connection: turns input lines into session commands and chat events into
/// output lines. The line protocol (<see cref="LineProtocolAdapter"/>) is one; an IRC adapter is another
/// over the same session and transport. Runs on the connection's worker loop, one call at a time.
/// </summary>
internal interface IProtocolAdapter
{
    /// <summary>How this protocol writes chat events (one instance per protocol, so rooms' events are formatted once per protocol).</summary>
    IChatEventFormat Format { get; }

    /// <summary>Whether to write <paramref name="chatEvent"/> at all (IRC tells a person's QUIT once, not once per shared room).</summary>
    bool Shows(ChatEvent chatEvent);

    /// <summary>The connection is accepted: register, greet, join what the protocol joins by itself.</summary>
    Task StartAsync();

    /// <summary>How often <see cref="OnTimer"/> should run; zero for never (the protocol keeps no clocks of its own).</summary>
    TimeSpan TimerPeriod { get; }

    /// <summary>The protocol's own clocks (IRC: registration timeout, keepalive pings), on the worker loop every <see cref="TimerPeriod"/>.</summary>
    void OnTimer();

    /// <summary>One input line, admitted by the flood gate (blank lines are never held back).</summary>
    Task HandleLineAsync(string text);

    /// <summary>The line telling the peer its input line was over <paramref name="limit"/> bytes and dropped.</summary>
    OutboundLine LineTooLong(int limit);

    /// <summary>The line telling the peer its lines are being dropped for flooding.</summary>
    OutboundLine SlowDown();

    /// <summary>The last line to a peer disconnected with <paramref name="reason"/> (flooding, idle timeout, shutdown).</summary>
    OutboundLine Disconnected(DisconnectReason reason, TimeSpan idleTimeout = default);

    /// <summary>The line telling a peer that speaks <paramref name="protocol"/> what this port is.</summary>
    OutboundLine WrongProtocol(string protocol);

    /// <summary>The line that says goodbye after a quit.</summary>
    OutboundLine Bye();
}
