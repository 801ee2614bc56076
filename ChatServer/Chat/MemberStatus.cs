namespace ChatServer.Chat;

/// <summary>A member's standing in a room: IRC's channel prefixes <c>+</c> (voice) and <c>@</c> (operator).</summary>
[Flags]
public enum MemberStatus
{
    /// <summary>An ordinary member.</summary>
    None = 0,

    /// <summary>Voiced (<c>+v</c>): may speak in a moderated room (<c>+m</c>) and while banned.</summary>
    Voice = 1,

    /// <summary>Operator (<c>+o</c>): may set the topic, kick, ban, invite and change the room's modes; speaks as if voiced.</summary>
    Op = 2,
}
