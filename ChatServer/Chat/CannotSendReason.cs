namespace ChatServer.Chat;

/// <summary>Why a room did not relay a line (<see cref="ChatEvent.CannotSend"/>, IRC's 404 ERR_CANNOTSENDTOCHAN).</summary>
public enum CannotSendReason
{
    /// <summary>The room is moderated (<c>+m</c>) and the sender is neither voiced nor an operator.</summary>
    Moderated,

    /// <summary>A ban matches the sender, who is neither voiced nor an operator.</summary>
    Banned,

    /// <summary>The sender is not in the room and the room takes no messages from outside (<c>+n</c>).</summary>
    NoOutside,
}
