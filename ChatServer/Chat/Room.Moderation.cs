using System.Globalization;
using ChatServer.Cluster;
using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Chat;

/// <summary>
/// The room's moderation requests: topic, kick, invite, modes, and lines from people not in the room.
/// <see cref="RoomModeration"/> decides; this part of the room applies and tells the members. Every
/// change is told to every member, the one who made it too (IRC echoes them), whatever the room's size.
/// </summary>
public sealed partial class Room
{
    private sealed record SayOutside(IChatMember Member, string Nick, string Text, LineKind Kind, string? Tags) : Message;

    private sealed record SetTopic(IChatMember Member, string Text, Reply<ModerationResult> Reply) : Message;

    private sealed record Kick(IChatMember Member, string Target, string? Reason, Reply<ModerationResult> Reply) : Message;

    private sealed record Invite(IChatMember Member, string Target, Reply<ModerationResult> Reply) : Message;

    private sealed record ChangeModes(IChatMember Member, IReadOnlyList<ModeChange> Changes, Reply<ModeResult> Reply) : Message;

    private sealed record Query<T>(Func<RoomModeration, T> Read, Reply<T> Reply) : Message, IQuery
    {
        public void Answer(RoomModeration moderation) => Reply.Send(Read(moderation));
    }

    private interface IQuery
    {
        void Answer(RoomModeration moderation);
    }

    /// <summary>
    /// Relays a line from <paramref name="member"/>, who is not in the room (IRC's PRIVMSG to a channel from
    /// outside): only when the room is <c>-n</c> and would let the sender speak; otherwise the sender is told
    /// <see cref="ChatEvent.CannotSend"/>. From a member it is an ordinary line. Does not wait.
    /// </summary>
    public bool PublishFromOutside(IChatMember member, string nick, string text, LineKind kind, string? tags = null) => Tell(new SayOutside(member, nick, text, kind, tags));

    /// <summary>Sets the topic (<paramref name="text"/> empty: clears it): any member, an operator when <c>+t</c>, nobody in <c>#lobby</c>.</summary>
    public Task<ModerationResult> SetTopicAsync(IChatMember member, string text) => CallAsync<ModerationResult>(reply => new SetTopic(member, text, reply));

    /// <summary>An operator removes the member called <paramref name="target"/>; every member, the target too, is told.</summary>
    public Task<ModerationResult> KickAsync(IChatMember member, string target, string? reason) =>
        CallAsync<ModerationResult>(reply => new Kick(member, target, reason, reply));

    /// <summary>
    /// A member (an operator when <c>+i</c>) invites <paramref name="target"/>, who may then join once, also when
    /// <c>+i</c>. Only the room's side: the caller tells the invitee (<see cref="ChatEvent.Invited"/>).
    /// </summary>
    public Task<ModerationResult> InviteAsync(IChatMember member, string target) => CallAsync<ModerationResult>(reply => new Invite(member, target, reply));

    /// <summary>An operator changes the room's modes; what changed is told to every member as <see cref="ChatEvent.ModesChanged"/>.</summary>
    public Task<ModeResult> ChangeModesAsync(IChatMember member, IReadOnlyList<ModeChange> changes) =>
        CallAsync<ModeResult>(reply => new ChangeModes(member, changes, reply));

    /// <summary>The topic, or null.</summary>
    public Task<RoomTopic?> TopicAsync() => CallAsync<RoomTopic?>(reply => new Query<RoomTopic?>(m => m.Topic, reply));

    /// <summary>The channel modes.</summary>
    public Task<RoomModes> ModesAsync() => CallAsync<RoomModes>(reply => new Query<RoomModes>(m => m.Modes, reply));

    /// <summary>The bans, oldest first.</summary>
    public Task<IReadOnlyList<BanEntry>> BansAsync() => CallAsync<IReadOnlyList<BanEntry>>(reply => new Query<IReadOnlyList<BanEntry>>(m => [.. m.Bans], reply));

    private void HandleModeration(Message message)
    {
        switch (message)
        {
            case SayOutside say when _members.TryGetValue(say.Member.Process.Id, out var member):
                // Joined meanwhile: an ordinary line.
                SayFrom(member, say.Text, say.Kind, say.Tags);
                break;
            case SayOutside say when _moderation.CheckSay(null, say.Nick, say.Member.Mask) is { } refused:
                say.Member.Deliver(new ChatEvent.CannotSend(Name, refused));
                break;
            case SayOutside say when _replica is null:
                Relay(say.Member, say.Nick, say.Text, say.Kind, say.Tags);
                break;
            case SayOutside say:
                _replica.Say(say.Member, say.Nick, say.Text, say.Kind, () => Relay(say.Member, say.Nick, say.Text, say.Kind, say.Tags));
                break;
            case SetTopic topic:
                topic.Reply.Send(HandleSetTopic(topic));
                break;
            case Kick kick:
                kick.Reply.Send(HandleKick(kick));
                break;
            case Invite invite:
                invite.Reply.Send(HandleInvite(invite));
                break;
            case ChangeModes modes:
                modes.Reply.Send(HandleChangeModes(modes));
                break;
            case IQuery query:
                query.Answer(_moderation);
                break;
        }
    }

    private ModerationResult HandleSetTopic(SetTopic request)
    {
        if (!_members.TryGetValue(request.Member.Process.Id, out var member))
        {
            return ModerationResult.NotInRoom;
        }

        var may = _moderation.MaySetTopic(member.Key);
        if (may != ModerationResult.Done)
        {
            return may;
        }

        var text = request.Text.Length > RoomTopic.MaxLength ? request.Text[..RoomTopic.MaxLength] : request.Text;
        var at = TimeProvider.GetUtcNow();
        if (_replica is null)
        {
            ApplyTopic(member.Nick, member.Client.Mask, text, at);
        }
        else
        {
            _replica.Topic(member.Client, member.Nick, text, () => ApplyTopic(member.Nick, member.Client.Mask, text, at));
        }

        return ModerationResult.Done;
    }

    private ModerationResult HandleKick(Kick request)
    {
        if (!_members.TryGetValue(request.Member.Process.Id, out var member))
        {
            return ModerationResult.NotInRoom;
        }

        var may = _moderation.MayKick(member.Key);
        if (may != ModerationResult.Done)
        {
            return may;
        }

        if (FindNick(request.Target) is not { } target)
        {
            return ModerationResult.TargetNotInRoom;
        }

        if (_replica is null)
        {
            ApplyKick(member.Nick, member.Client.Mask, target.Member, request.Reason);
        }
        else
        {
            _replica.Kick(member.Client, member.Nick, target.Member, target.Nick, request.Reason, () => ApplyKick(member.Nick, member.Client.Mask, target.Member, request.Reason));
        }

        return ModerationResult.Done;
    }

    private ModerationResult HandleInvite(Invite request)
    {
        if (!_members.TryGetValue(request.Member.Process.Id, out var member))
        {
            return ModerationResult.NotInRoom;
        }

        if (FindNick(request.Target) is not null)
        {
            return ModerationResult.AlreadyInRoom;
        }

        var may = _moderation.MayInvite(member.Key);
        if (may == ModerationResult.Done)
        {
            if (_replica is null)
            {
                _moderation.Invite(request.Target);
            }
            else
            {
                _replica.Invite(member.Client, member.Nick, request.Target, () => _moderation.Invite(request.Target));
            }
        }

        return may;
    }

    private ModeResult HandleChangeModes(ChangeModes request)
    {
        if (!_members.TryGetValue(request.Member.Process.Id, out var member))
        {
            return ModeResult.Refused(ModerationResult.NotInRoom);
        }

        var (result, plan) = _moderation.Plan(member.Key, request.Changes, FindNick);
        var at = TimeProvider.GetUtcNow();
        if (plan.Count == 0)
        {
            return result;
        }

        if (_replica is null)
        {
            ApplyModes(member.Nick, member.Client.Mask, plan, at);
        }
        else
        {
            _replica.Modes(member.Client, member.Nick, plan, () => ApplyModes(member.Nick, member.Client.Mask, plan, at));
        }

        return result;
    }

    private void ApplyTopic(string nick, PersonMask mask, string text, DateTimeOffset at)
    {
        var kept = _moderation.SetTopic(text, nick, at);
        Broadcast(new ChatEvent.TopicChanged(Name, nick, kept) { Mask = mask }, except: null);
    }

    private void ApplyModes(string nick, PersonMask mask, IReadOnlyList<PlannedMode> plan, DateTimeOffset at)
    {
        var effective = _moderation.Apply(plan, IsMember, nick, at);
        if (effective.Count > 0)
        {
            var (modes, arguments) = ModeChange.Format(effective);
            Broadcast(new ChatEvent.ModesChanged(Name, nick, modes, arguments) { Mask = mask }, except: null);
        }
    }

    /// <summary>
    /// Tells every member, then removes the target (no "left" notice: the kick says it; in a cluster the kick's entry
    /// removed it from the room's members in Redis). A target here gets its own instance, on which its session forgets the room.
    /// </summary>
    private void ApplyKick(string nick, PersonMask mask, string target, string? reason)
    {
        if (TryGetLocal(target, out var kicked))
        {
            Broadcast(new ChatEvent.Kicked(Name, nick, kicked.Nick, reason) { Mask = mask }, except: kicked.Client.Process.Id);
            kicked.Client.Deliver(new ChatEvent.Kicked(Name, nick, kicked.Nick, reason) { Mask = mask, ToTarget = true });
            _members.Remove(kicked.Client.Process.Id);
            Demonitor(kicked.Monitor);
            _moderation.Forget(kicked.Key);
            StopIfEmpty();
        }
        else if (_replica?.RemoveRemote(target) is { } remoteNick)
        {
            _moderation.Forget(target);
            Broadcast(new ChatEvent.Kicked(Name, nick, remoteNick, reason) { Mask = mask }, except: null);
        }
    }

    /// <summary>How moderation names a member: its process here, its member id in a cluster (the same on every node).</summary>
    private string KeyOf(ProcessId id) => _replica?.MemberId(id) ?? id.Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The members, with their statuses, here and elsewhere, ordered by nick.</summary>
    private List<RoomMember> Members()
    {
        var members = new List<RoomMember>(MemberCount);
        foreach (var member in _members.Values)
        {
            members.Add(new RoomMember(member.Nick, member.Client.Mask, _moderation.StatusOf(member.Key)));
        }

        foreach (var (key, nick) in _replica?.RemoteMembers ?? [])
        {
            members.Add(new RoomMember(nick, PersonMask.Hidden, _moderation.StatusOf(key)));
        }

        members.Sort((a, b) => NickName.Comparer.Compare(a.Nick, b.Nick));
        return members;
    }

    /// <summary>The member called <paramref name="nick"/> (any case): its key and its nick as the room spells it.</summary>
    private (string Member, string Nick)? FindNick(string nick)
    {
        foreach (var member in _members.Values)
        {
            if (NickName.Comparer.Equals(member.Nick, nick))
            {
                return (member.Key, member.Nick);
            }
        }

        foreach (var (key, remoteNick) in _replica?.RemoteMembers ?? [])
        {
            if (NickName.Comparer.Equals(remoteNick, nick))
            {
                return (key, remoteNick);
            }
        }

        return null;
    }

    private bool IsMember(string key) => TryGetLocal(key, out _) || (_replica?.IsRemote(key) ?? false);

    /// <summary>The member here whose key is <paramref name="key"/>.</summary>
    private bool TryGetLocal(string key, out Member member)
    {
        member = default;
        var id = _replica is null
            ? long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? new ProcessId(value) : (ProcessId?)null
            : _replica.LocalProcessOf(key);
        return id is { } process && _members.TryGetValue(process, out member);
    }

    MemberStatus IRoomFanOut.StatusOf(string member) => _moderation.StatusOf(member);

    void IRoomFanOut.SetStatus(string member, MemberStatus status) => _moderation.SetStatus(member, status);

    void IRoomFanOut.Invited(string nick, bool used)
    {
        if (used)
        {
            _moderation.Uninvite(nick);
        }
        else
        {
            _moderation.Invite(nick);
        }
    }

    void IRoomFanOut.ApplyTopic(string nick, string text, DateTimeOffset at) => ApplyTopic(nick, PersonMask.Hidden, text, at);

    void IRoomFanOut.ApplyModes(string nick, IReadOnlyList<PlannedMode> plan, DateTimeOffset at) => ApplyModes(nick, PersonMask.Hidden, plan, at);

    void IRoomFanOut.ApplyKick(string nick, string target, string? reason) => ApplyKick(nick, PersonMask.Hidden, target, reason);

    void IRoomFanOut.RestoreModeration(ModerationState state) => _moderation.Restore(state.Modes, state.Topic, state.Bans, state.Statuses, state.Invited);
}
