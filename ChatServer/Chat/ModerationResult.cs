namespace ChatServer.Chat;

/// <summary>What a moderation request (topic, kick, invite, modes) came to; IRC's numeric for each is given.</summary>
public enum ModerationResult
{
    /// <summary>Done: the room tells its members (the actor too) with an event.</summary>
    Done,

    /// <summary>No such room (403 ERR_NOSUCHCHANNEL).</summary>
    NoSuchRoom,

    /// <summary>The person is not in the room (442 ERR_NOTONCHANNEL); also: in no room, for a request about the current one.</summary>
    NotInRoom,

    /// <summary>The request needs an operator of the room (482 ERR_CHANOPRIVSNEEDED).</summary>
    NotOperator,

    /// <summary>No one has the nick (401 ERR_NOSUCHNICK).</summary>
    NoSuchNick,

    /// <summary>The nick is not in the room (441 ERR_USERNOTINCHANNEL).</summary>
    TargetNotInRoom,

    /// <summary>The invitee is in the room already (443 ERR_USERONCHANNEL).</summary>
    AlreadyInRoom,

    /// <summary><c>#lobby</c>: it has no operators, and its topic and modes are fixed (482 ERR_CHANOPRIVSNEEDED, "#lobby's modes are fixed").</summary>
    Fixed,
}
