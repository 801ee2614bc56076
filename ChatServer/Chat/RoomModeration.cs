using System.Globalization;
using ChatServer.Protocol;

namespace ChatServer.Chat;

/// <summary>
/// A room's moderation state and rules, IRC's: its modes, topic, bans, invites and which members are
/// operators or voiced, and the decisions made with them (may this person join, speak, set the topic,
/// kick, invite, change these modes?). Members are named by a key that stays the same across nick changes
/// (their process, or in a cluster their member id), so an operator stays one when renamed.
/// Delivers nothing and knows no member's mailbox: the <see cref="Room"/> asks, applies and tells.
/// A fixed room (<c>#lobby</c>) has no operators, no bans, no key, no limit and its modes stay <c>+nt</c>.
/// Lives on the room's loop; not thread-safe.
/// </summary>
internal sealed class RoomModeration(bool isFixed, RoomTopic? topic)
{
    /// <summary>The most bans a room keeps (IRC's MAXLIST b).</summary>
    public const int MaxBans = 100;

    /// <summary>The longest key (IRC's KEYLEN).</summary>
    public const int MaxKeyLength = 23;

    /// <summary>The highest member limit accepted.</summary>
    public const int MaxLimit = 1_000_000;

    private readonly Dictionary<string, MemberStatus> _status = new(StringComparer.Ordinal);
    private readonly List<BanEntry> _bans = [];

    // Invites are by nick, as IRC's are by person: an invite lasts until used or the room ends.
    private readonly HashSet<string> _invited = new(NickName.Comparer);

    /// <summary>Whether this is <c>#lobby</c>: no operators, fixed modes, nothing refused.</summary>
    public bool IsFixed { get; } = isFixed;

    /// <summary>The channel modes.</summary>
    public RoomModes Modes { get; private set; } = RoomModes.Default;

    /// <summary>The topic, or null.</summary>
    public RoomTopic? Topic { get; private set; } = topic;

    /// <summary>The bans, oldest first.</summary>
    public IReadOnlyList<BanEntry> Bans => _bans;

    /// <summary>The members with a status (operators, voiced), by key.</summary>
    public IEnumerable<KeyValuePair<string, MemberStatus>> Statuses => _status;

    /// <summary>The nicks invited and not yet joined.</summary>
    public IEnumerable<string> Invited => _invited;

    /// <summary>The status of the member <paramref name="member"/>.</summary>
    public MemberStatus StatusOf(string member) => _status.GetValueOrDefault(member);

    /// <summary>Sets the status of <paramref name="member"/> (never an operator in a fixed room).</summary>
    public void SetStatus(string member, MemberStatus status)
    {
        if (IsFixed || status == MemberStatus.None)
        {
            _status.Remove(member);
        }
        else
        {
            _status[member] = status;
        }
    }

    /// <summary>The member left: its status goes with it (an operator who comes back is an ordinary member).</summary>
    public void Forget(string member) => _status.Remove(member);

    /// <summary>Whether <paramref name="nick"/> with <paramref name="mask"/> may join a room of <paramref name="members"/> members, giving <paramref name="key"/>.</summary>
    public JoinRefusal CheckJoin(string nick, PersonMask mask, string? key, int members)
    {
        if (IsFixed)
        {
            return JoinRefusal.None;
        }

        var invited = _invited.Contains(nick);
        if (IsBanned(nick, mask))
        {
            return JoinRefusal.Banned;
        }

        if (Modes.InviteOnly && !invited)
        {
            return JoinRefusal.InviteOnly;
        }

        if (Modes.Key is { } wanted && !string.Equals(key, wanted, StringComparison.Ordinal))
        {
            return JoinRefusal.BadKey;
        }

        return Modes.Limit is { } limit && members >= limit ? JoinRefusal.Full : JoinRefusal.None;
    }

    /// <summary>The member joined: its invite is used up, and the first member of a room that did not exist (<paramref name="first"/>) is its operator.</summary>
    public void Joined(string member, string nick, bool first)
    {
        _invited.Remove(nick);
        if (first && !IsFixed)
        {
            _status[member] = MemberStatus.Op;
        }
    }

    /// <summary>
    /// Why the room would not relay a line from <paramref name="nick"/> (<paramref name="member"/>: null for
    /// someone not in it), or null when it would. Voiced members and operators speak under <c>+m</c> and bans.
    /// </summary>
    public CannotSendReason? CheckSay(string? member, string nick, PersonMask mask)
    {
        if (member is null && Modes.NoOutside)
        {
            return CannotSendReason.NoOutside;
        }

        if (!Modes.Moderated && _bans.Count == 0)
        {
            // The common case, on every line: no lookup at all.
            return null;
        }

        if (member is not null && StatusOf(member) != MemberStatus.None)
        {
            return null;
        }

        if (Modes.Moderated)
        {
            return CannotSendReason.Moderated;
        }

        return IsBanned(nick, mask) ? CannotSendReason.Banned : null;
    }

    /// <summary>Whether a ban matches <paramref name="nick"/> with <paramref name="mask"/>.</summary>
    public bool IsBanned(string nick, PersonMask mask)
    {
        foreach (var ban in _bans)
        {
            if (MaskPattern.Matches(ban.Mask, nick, mask))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="member"/> may set the topic: anyone unless <c>+t</c>, then operators; nobody in a fixed room.</summary>
    public ModerationResult MaySetTopic(string member) =>
        IsFixed ? ModerationResult.Fixed
        : Modes.TopicLocked && !IsOp(member) ? ModerationResult.NotOperator
        : ModerationResult.Done;

    /// <summary>Sets the topic (<paramref name="text"/> empty: clears it), cut to <see cref="RoomTopic.MaxLength"/>; returns the text kept.</summary>
    public string SetTopic(string text, string setBy, DateTimeOffset at)
    {
        text = text.Length > RoomTopic.MaxLength ? text[..RoomTopic.MaxLength] : text;
        Topic = text.Length == 0 ? null : new RoomTopic(text, setBy, at);
        return text;
    }

    /// <summary>Whether <paramref name="member"/> may kick: operators only; nobody in a fixed room.</summary>
    public ModerationResult MayKick(string member) =>
        IsFixed ? ModerationResult.Fixed : IsOp(member) ? ModerationResult.Done : ModerationResult.NotOperator;

    /// <summary>Whether <paramref name="member"/> may invite: any member, an operator when <c>+i</c>.</summary>
    public ModerationResult MayInvite(string member) =>
        Modes.InviteOnly && !IsOp(member) ? ModerationResult.NotOperator : ModerationResult.Done;

    /// <summary>Records an invite of <paramref name="nick"/>.</summary>
    public void Invite(string nick) => _invited.Add(nick);

    /// <summary><paramref name="nick"/> joined (on another node): its invite is used up.</summary>
    public void Uninvite(string nick) => _invited.Remove(nick);

    /// <summary>
    /// Checks a mode request of <paramref name="member"/>: the result to answer with, and the changes to apply
    /// (<see cref="Apply"/>), each with the key of the member it is about for <c>o</c> and <c>v</c>.
    /// <paramref name="findNick"/> finds a member of the room by nick: its key and nick as the room spells it.
    /// </summary>
    public (ModeResult Result, IReadOnlyList<PlannedMode> Plan) Plan(string member, IReadOnlyList<ModeChange> changes, Func<string, (string Member, string Nick)?> findNick)
    {
        var failures = new List<ModeFailure>();
        foreach (var change in changes)
        {
            if (!ModeChange.Known.Contains(change.Mode, StringComparison.Ordinal))
            {
                failures.Add(new ModeFailure(change, ModeError.UnknownMode));
            }
        }

        if (failures.Count == changes.Count)
        {
            return (new ModeResult(ModerationResult.Done, [], failures), []);
        }

        if (IsFixed)
        {
            return (ModeResult.Refused(ModerationResult.Fixed, failures), []);
        }

        if (!IsOp(member))
        {
            return (ModeResult.Refused(ModerationResult.NotOperator, failures), []);
        }

        var plan = new List<PlannedMode>();
        var bans = _bans.Count;
        foreach (var change in changes)
        {
            if (!ModeChange.Known.Contains(change.Mode, StringComparison.Ordinal))
            {
                continue;
            }

            var (planned, error) = PlanOne(change, findNick, ref bans);
            if (error is { } refused)
            {
                failures.Add(new ModeFailure(change, refused));
            }
            else
            {
                plan.Add(planned!.Value);
            }
        }

        return (new ModeResult(ModerationResult.Done, plan.Select(p => p.Change).ToList(), failures), plan);
    }

    /// <summary>
    /// Applies planned changes, in order, by <paramref name="setBy"/> at <paramref name="at"/>; returns those that
    /// changed something (what the members are told). A change about someone who is no longer a member
    /// (<paramref name="isMember"/>) is dropped. Every node of a cluster applies the same plans in the same order, and so agrees.
    /// </summary>
    public IReadOnlyList<ModeChange> Apply(IReadOnlyList<PlannedMode> plan, Func<string, bool> isMember, string setBy, DateTimeOffset at)
    {
        var effective = new List<ModeChange>();
        foreach (var (change, target) in plan)
        {
            if (!IsFixed && ApplyOne(change, target, isMember, setBy, at) is { } changed)
            {
                effective.Add(changed);
            }
        }

        return effective;
    }

    /// <summary>Replaces the whole state (a cluster node taking the room's state from Redis).</summary>
    public void Restore(RoomModes modes, RoomTopic? topic, IEnumerable<BanEntry> bans, IEnumerable<KeyValuePair<string, MemberStatus>> statuses, IEnumerable<string> invited)
    {
        if (IsFixed)
        {
            return;
        }

        Modes = modes;
        Topic = topic;
        _bans.Clear();
        _bans.AddRange(bans.Take(MaxBans));
        _status.Clear();
        foreach (var (member, status) in statuses)
        {
            SetStatus(member, status);
        }

        _invited.Clear();
        _invited.UnionWith(invited);
    }

    /// <summary>Whether <paramref name="key"/> can be a room's key: 1 to <see cref="MaxKeyLength"/> characters, no space, comma, control character or leading <c>:</c> (IRC could not carry it).</summary>
    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && !key.AsSpan().ContainsAny(' ', ',') && !key.AsSpan().ContainsAnyInRange('\0', '\x1f') && key[0] != ':';

    private bool IsOp(string member) => StatusOf(member).HasFlag(MemberStatus.Op);

    private (PlannedMode? Planned, ModeError? Error) PlanOne(ModeChange change, Func<string, (string Member, string Nick)?> findNick, ref int bans)
    {
        var argument = change.Argument;
        if (argument is null && ModeChange.TakesArgument(change.Add, change.Mode) && !(change.Mode == 'k' && !change.Add))
        {
            return (null, ModeError.MissingArgument);
        }

        switch (change.Mode)
        {
            case 'o' or 'v':
                return findNick(argument!) is { } found
                    ? (new PlannedMode(change with { Argument = found.Nick }, found.Member), null)
                    : (null, ModeError.TargetNotInRoom);
            case 'b':
                if (!MaskPattern.IsValid(argument!))
                {
                    return (null, ModeError.InvalidArgument);
                }

                if (change.Add && bans >= MaxBans)
                {
                    return (null, ModeError.BanListFull);
                }

                bans += change.Add ? 1 : 0;
                return (new PlannedMode(change with { Argument = MaskPattern.Normalize(argument!) }, null), null);
            case 'k' when change.Add:
                if (Modes.Key is not null)
                {
                    return (null, ModeError.KeySet);
                }

                return IsValidKey(argument!) ? (new PlannedMode(change, null), null) : (null, ModeError.InvalidArgument);
            case 'k':
                // -k: the key given, if any, is not checked (as most servers do); the one removed is shown.
                return (new PlannedMode(change with { Argument = Modes.Key ?? "*" }, null), null);
            case 'l' when change.Add:
                return int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is > 0 and <= MaxLimit
                    ? (new PlannedMode(change with { Argument = limit.ToString(CultureInfo.InvariantCulture) }, null), null)
                    : (null, ModeError.InvalidArgument);
            default:
                // -l and the flags m n t i take no argument; one given is dropped.
                return (new PlannedMode(change with { Argument = null }, null), null);
        }
    }

    /// <summary>Applies one change; returns it as it took effect (a ban lifted shows the mask as kept), or null when it changed nothing.</summary>
    private ModeChange? ApplyOne(ModeChange change, string? target, Func<string, bool> isMember, string setBy, DateTimeOffset at)
    {
        var add = change.Add;
        switch (change.Mode)
        {
            case 'o' or 'v':
                if (target is null || !isMember(target))
                {
                    return null;
                }

                var flag = change.Mode == 'o' ? MemberStatus.Op : MemberStatus.Voice;
                var before = StatusOf(target);
                SetStatus(target, add ? before | flag : before & ~flag);
                return StatusOf(target) != before ? change : null;
            case 'b' when change.Argument is { } mask:
                var index = _bans.FindIndex(b => string.Equals(b.Mask, mask, StringComparison.OrdinalIgnoreCase));
                if (add && index < 0 && _bans.Count < MaxBans)
                {
                    _bans.Add(new BanEntry(mask, setBy, at));
                    return change;
                }

                if (!add && index >= 0)
                {
                    var lifted = _bans[index].Mask;
                    _bans.RemoveAt(index);
                    return change with { Argument = lifted };
                }

                return null;
            case 'k' when add:
                // A plain set, as Redis keeps it in a cluster: +k on a room with a key was refused when checked (467), so this only replaces one in a race.
                return change.Argument is not null ? Set(change, Modes with { Key = change.Argument }) : null;
            case 'k':
                return Modes.Key is { } key ? Set(change with { Argument = key }, Modes with { Key = null }) : null;
            case 'l':
                return Set(change, Modes with { Limit = add && int.TryParse(change.Argument, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : null });
            case 'm':
                return Set(change, Modes with { Moderated = add });
            case 'n':
                return Set(change, Modes with { NoOutside = add });
            case 't':
                return Set(change, Modes with { TopicLocked = add });
            case 'i':
                return Set(change, Modes with { InviteOnly = add });
            case 's':
                return Set(change, Modes with { Secret = add });
            default:
                return null;
        }
    }

    private ModeChange? Set(ModeChange change, RoomModes modes)
    {
        if (modes == Modes)
        {
            return null;
        }

        Modes = modes;
        return change;
    }
}

/// <summary>A mode change checked and normalised, with the key of the member it is about (<c>o</c>, <c>v</c>), waiting to be applied.</summary>
internal readonly record struct PlannedMode(ModeChange Change, string? Member);
