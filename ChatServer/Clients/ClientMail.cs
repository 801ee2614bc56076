using ChatServer.Chat;
using ChatServer.Protocol;

namespace ChatServer.Clients;

/// <summary>
/// One item of a client worker's mailbox: a line to send, a room's batch of lines, or a control
/// message. A struct, so the hot path — a room handing the same <see cref="OutboundLine"/> or
/// <see cref="RoomBatch"/> to every member — allocates nothing per recipient.
/// </summary>
public readonly record struct ClientMail
{
    private ClientMail(OutboundLine? line, RoomBatch? batch, ClientMessage? control)
    {
        Line = line;
        Batch = batch;
        Control = control;
    }

    /// <summary>The line to send, or null.</summary>
    public OutboundLine? Line { get; }

    /// <summary>The room's lines to send (except this client's own), or null.</summary>
    public RoomBatch? Batch { get; }

    /// <summary>The control message, or null for lines to send.</summary>
    public ClientMessage? Control { get; }

    /// <summary>Mail carrying a line to send.</summary>
    public static implicit operator ClientMail(OutboundLine line) => new(line, null, null);

    /// <summary>Mail carrying a room's batch of lines.</summary>
    public static implicit operator ClientMail(RoomBatch batch) => new(null, batch, null);

    /// <summary>Mail carrying a control message.</summary>
    public static implicit operator ClientMail(ClientMessage control) => new(null, null, control);
}
