namespace ChatServer.Sessions;

/// <summary>
/// What <see cref="Session.Say"/> could tell at once. What only the room can judge (<c>+m</c>, a ban,
/// <c>+n</c> for someone outside) comes back later as <see cref="Chat.ChatEvent.CannotSend"/>.
/// </summary>
internal enum SayResult
{
    /// <summary>Handed to the room.</summary>
    Sent,

    /// <summary>In no room (no room was named and there is no current one); IRC's 442 or 404.</summary>
    NotInRoom,

    /// <summary>The room named does not exist (on this node); IRC's 403 (or 401).</summary>
    NoSuchRoom,
}
