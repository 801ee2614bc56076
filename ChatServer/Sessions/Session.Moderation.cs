using ChatServer.Chat;

namespace ChatServer.Sessions;

/// <summary>
/// The session's moderation requests (IRC's TOPIC, KICK, INVITE, MODE and the line protocol's
/// <c>/topic</c>, <c>/kick</c>, <c>/ban</c>, <c>/op</c>, ...): the room decides and tells its members; the session
/// finds the room and turns "not in the room" into "no such nick" when nobody has the nick.
/// </summary>
internal sealed partial class Session
{
    /// <summary>The topic of <paramref name="name"/> (null: the current room); a room need not be joined to be asked.</summary>
    public async Task<TopicResult> TopicAsync(string? name)
    {
        if (AnyRoom(name) is not { } room)
        {
            return new TopicResult(name is null ? ModerationResult.NotInRoom : ModerationResult.NoSuchRoom, null, null);
        }

        return new TopicResult(ModerationResult.Done, room.Name, await room.TopicAsync().ConfigureAwait(false));
    }

    /// <summary>Sets the topic of <paramref name="name"/> (null: the current room); an empty <paramref name="text"/> clears it. The members are told (<see cref="ChatEvent.TopicChanged"/>).</summary>
    public async Task<ModerationResult> SetTopicAsync(string? name, string text)
    {
        var (room, missing) = MemberRoom(name);
        return room is null ? missing : await room.SetTopicAsync(owner.Member, text).ConfigureAwait(false);
    }

    /// <summary>Kicks <paramref name="nick"/> from <paramref name="name"/> (null: the current room); every member, the one kicked too, is told (<see cref="ChatEvent.Kicked"/>).</summary>
    public async Task<ModerationResult> KickAsync(string? name, string nick, string? reason)
    {
        var (room, missing) = MemberRoom(name);
        if (room is null)
        {
            return missing;
        }

        var result = await room.KickAsync(owner.Member, nick, reason).ConfigureAwait(false);
        return result == ModerationResult.TargetNotInRoom && !await ExistsAsync(nick).ConfigureAwait(false) ? ModerationResult.NoSuchNick : result;
    }

    /// <summary>Invites <paramref name="nick"/> to <paramref name="name"/>, which the person must be in (an operator of, when <c>+i</c>); the invitee is told (<see cref="ChatEvent.Invited"/>).</summary>
    public async Task<ModerationResult> InviteAsync(string name, string nick)
    {
        var presence = services.Presence ?? throw new ServiceUnavailableException();
        var (room, missing) = MemberRoom(name);
        if (room is null)
        {
            return missing;
        }

        if (await presence.FindAsync(nick).ConfigureAwait(false) is not { } target)
        {
            return ModerationResult.NoSuchNick;
        }

        var result = await room.InviteAsync(owner.Member, nick).ConfigureAwait(false);
        if (result == ModerationResult.Done)
        {
            target.Deliver(new ChatEvent.Invited(room.Name, Nick) { Mask = owner.Member.Mask, To = nick });
        }

        return result;
    }

    /// <summary>Changes the modes of <paramref name="name"/>, which the person must be an operator of; each change refused is in the result, what changed is told to the members (<see cref="ChatEvent.ModesChanged"/>).</summary>
    public async Task<ModeResult> ChangeModesAsync(string name, IReadOnlyList<ModeChange> changes)
    {
        var (room, missing) = MemberRoom(name);
        if (room is null)
        {
            return ModeResult.Refused(missing);
        }

        var result = await room.ChangeModesAsync(owner.Member, changes).ConfigureAwait(false);
        if (!result.Failures.Any(f => f.Error == ModeError.TargetNotInRoom))
        {
            return result;
        }

        // The room knows its members only: a nick that nobody has is "no such nick" (401), not "not in the room" (441).
        var failures = new List<ModeFailure>(result.Failures.Count);
        foreach (var failure in result.Failures)
        {
            failures.Add(failure.Error == ModeError.TargetNotInRoom && !await ExistsAsync(failure.Change.Argument!).ConfigureAwait(false)
                ? failure with { Error = ModeError.NoSuchNick }
                : failure);
        }

        return result with { Failures = failures };
    }

    /// <summary>
    /// The modes of <paramref name="name"/>, or null when there is no such room; a room need not be joined to be
    /// asked, but only its members learn its key (others see <c>*</c>).
    /// </summary>
    public async Task<RoomModes?> ModesAsync(string name)
    {
        if (AnyRoom(name) is not { } room)
        {
            return null;
        }

        var modes = await room.ModesAsync().ConfigureAwait(false);
        return modes.Key is not null && Find(name) is null ? modes with { Key = "*" } : modes;
    }

    /// <summary>The bans of <paramref name="name"/>, oldest first, or null when there is no such room.</summary>
    public async Task<IReadOnlyList<BanEntry>?> BansAsync(string name) => AnyRoom(name) is { } room ? await room.BansAsync().ConfigureAwait(false) : null;

    /// <summary>
    /// The person was kicked from <paramref name="name"/> (the owner saw a <see cref="ChatEvent.Kicked"/> with
    /// <see cref="ChatEvent.Kicked.ToTarget"/>): the session forgets the room, as after a part.
    /// </summary>
    public void OnKicked(string name)
    {
        if (Find(name) is { } joined)
        {
            Forget(joined.Room);
        }
    }

    /// <summary>A room the person is in, by name (null: the current one), or why not: not in it (or in none), or no such room.</summary>
    private (Room? Room, ModerationResult Missing) MemberRoom(string? name)
    {
        if (name is null)
        {
            return (_current, ModerationResult.NotInRoom);
        }

        if (Find(name) is { } joined)
        {
            return (joined.Room, ModerationResult.Done);
        }

        return (null, services.FindRoom(name) is null ? ModerationResult.NoSuchRoom : ModerationResult.NotInRoom);
    }

    /// <summary>A live room by name (null: the current one), joined or not.</summary>
    private Room? AnyRoom(string? name) => name is null ? _current : Find(name)?.Room ?? services.FindRoom(name);

    private async Task<bool> ExistsAsync(string nick) =>
        await (services.Presence ?? throw new ServiceUnavailableException()).FindAsync(nick).ConfigureAwait(false) is not null;

    /// <summary>The rooms this person may see listed, with their member counts: every room but the secret (<c>+s</c>) ones it is not in.</summary>
    public async Task<IReadOnlyList<(string Room, int Members)>> ListVisibleRoomsAsync()
    {
        var visible = new List<(string Room, int Members)>();
        foreach (var (room, members) in await People.ListRoomsAsync().ConfigureAwait(false))
        {
            if (Find(room) is not null || await ModesAsync(room).ConfigureAwait(false) is not { Secret: true })
            {
                visible.Add((room, members));
            }
        }

        return visible;
    }
}
