using ChatServer.Chat;

namespace ChatServer.Clients;

/// <summary>
/// One item of a client worker's mailbox: a chat event to tell, a room's batch of lines, or a control
/// message. A struct, so the hot path — a room handing the same <see cref="ChatEvent"/> or
/// <see cref="RoomBatch"/> to every member — allocates nothing per recipient.
/// </summary>
public readonly record struct ClientMail
{
    private ClientMail(ChatEvent? chatEvent, RoomBatch? batch, ClientMessage? control)
    {
        Event = chatEvent;
        Batch = batch;
        Control = control;
    }

    /// <summary>The chat event to tell, or null.</summary>
    public ChatEvent? Event { get; }

    /// <summary>The room's lines to send (except this client's own), or null.</summary>
    public RoomBatch? Batch { get; }

    /// <summary>The control message, or null for lines to send.</summary>
    public ClientMessage? Control { get; }

    /// <summary>Mail carrying a chat event.</summary>
    public static implicit operator ClientMail(ChatEvent chatEvent) => new(chatEvent, null, null);

    /// <summary>Mail carrying a room's batch of lines.</summary>
    public static implicit operator ClientMail(RoomBatch batch) => new(null, batch, null);

    /// <summary>Mail carrying a control message.</summary>
    public static implicit operator ClientMail(ClientMessage control) => new(null, null, control);
}
