using ChatServer.Protocol;

namespace ChatServer.Clients;

/// <summary>
/// One item of a client worker's mailbox: a line to send, or a control message. A struct, so the
/// hot path — a room handing the same <see cref="OutboundLine"/> to every member — allocates
/// nothing per recipient.
/// </summary>
public readonly record struct ClientMail
{
    private ClientMail(OutboundLine? line, ClientMessage? control)
    {
        Line = line;
        Control = control;
    }

    /// <summary>The line to send, or null for a control message.</summary>
    public OutboundLine? Line { get; }

    /// <summary>The control message, or null for a line to send.</summary>
    public ClientMessage? Control { get; }

    /// <summary>Mail carrying a line to send.</summary>
    public static implicit operator ClientMail(OutboundLine line) => new(line, null);

    /// <summary>Mail carrying a control message.</summary>
    public static implicit operator ClientMail(ClientMessage control) => new(null, control);
}
