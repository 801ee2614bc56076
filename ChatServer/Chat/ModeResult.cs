namespace ChatServer.Chat;

/// <summary>
/// What a request to change a room's modes came to. <see cref="Outcome"/> is about the whole request
/// (<see cref="ModerationResult.Done"/>, or why none of it was done: no such room, not in it, not an
/// operator, <c>#lobby</c>); <see cref="Applied"/> the changes accepted, normalised (a ban's mask completed,
/// a nick as the room spells it); <see cref="Failures"/> each change refused and why, so that IRC can answer each.
/// What actually changed reaches every member, the requester too, as <see cref="ChatEvent.ModesChanged"/>
/// (a change that changes nothing, such as <c>+m</c> on a moderated room, is left out there).
/// </summary>
public sealed record ModeResult(ModerationResult Outcome, IReadOnlyList<ModeChange> Applied, IReadOnlyList<ModeFailure> Failures)
{
    /// <summary>A whole request refused with <paramref name="outcome"/>.</summary>
    public static ModeResult Refused(ModerationResult outcome, IReadOnlyList<ModeFailure>? failures = null) => new(outcome, [], failures ?? []);

    /// <summary>The applied changes as IRC writes them: <c>+o-v</c> and the arguments.</summary>
    public (string Modes, IReadOnlyList<string> Arguments) Describe() => ModeChange.Format(Applied);
}

/// <summary>One change of a mode request that was refused, and why.</summary>
public sealed record ModeFailure(ModeChange Change, ModeError Error);

/// <summary>Why one mode change was refused; IRC's numeric for each is given.</summary>
public enum ModeError
{
    /// <summary>Not a mode this server knows (472 ERR_UNKNOWNMODE).</summary>
    UnknownMode,

    /// <summary>The mode needs an argument and has none (461 ERR_NEEDMOREPARAMS).</summary>
    MissingArgument,

    /// <summary>No one has the nick (401 ERR_NOSUCHNICK).</summary>
    NoSuchNick,

    /// <summary>The nick is not in the room (441 ERR_USERNOTINCHANNEL).</summary>
    TargetNotInRoom,

    /// <summary><c>+k</c> on a room that has a key already (467 ERR_KEYSET); <c>-k</c> first.</summary>
    KeySet,

    /// <summary>The argument is not valid: a limit that is not a positive number, a key or mask with bad characters (696 ERR_INVALIDMODEPARAM).</summary>
    InvalidArgument,

    /// <summary>The room has <see cref="RoomModeration.MaxBans"/> bans already (478 ERR_BANLISTFULL).</summary>
    BanListFull,
}
