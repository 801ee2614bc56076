namespace ChatServer.Chat;

/// <summary>Why a room refused a joiner; IRC's numeric for each is given. <c>#lobby</c> never refuses.</summary>
public enum JoinRefusal
{
    /// <summary>Not refused: joined.</summary>
    None,

    /// <summary>A ban (<c>+b</c>) matches the joiner (474 ERR_BANNEDFROMCHAN).</summary>
    Banned,

    /// <summary>The room is invite-only (<c>+i</c>) and the joiner was not invited (473 ERR_INVITEONLYCHAN).</summary>
    InviteOnly,

    /// <summary>The room has a key (<c>+k</c>) and the joiner gave another, or none (475 ERR_BADCHANNELKEY).</summary>
    BadKey,

    /// <summary>The room has its limit of members (<c>+l</c>) (471 ERR_CHANNELISFULL).</summary>
    Full,
}
