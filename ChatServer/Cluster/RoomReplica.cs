using System.Globalization;
using ChatServer.Chat;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>
/// The cluster half of a room on this node: the room's log in Redis is the one order of everything
/// said and every membership change, on every node. What a member here does is appended through the
/// outbox and takes effect here when it comes back from the log (so members here and elsewhere see
/// one order), except while Redis is unreachable: then it takes effect at once and waits in the outbox
/// (its echo is dropped later). What other nodes append is applied as it is read: their lines relayed,
/// their members kept (for <c>/who</c>, counts and announcements), each entry once (by writer and number).
/// Moderation (topics, modes, bans, operators and voice, kicks, invites) takes the same path: an operator's
/// node checks a request, appends what it decided, and every node applies it in the log's order; Redis keeps
/// the resulting state next to the members (<see cref="ClusterScripts.AppendBatch"/>), and a room that attaches
/// takes it from there (<see cref="ModerationState"/>).
/// Lives on the room's loop; not thread-safe.
/// </summary>
internal sealed class RoomReplica
{
    private readonly IRoomFanOut _room;
    private readonly ClusterServices _cluster;
    private readonly StreamKeys _keys;
    private readonly Action<FollowerSignal> _post;
    private readonly StreamFollower _follower;

    /// <summary>The members on other nodes: member id → nick.</summary>
    private readonly Dictionary<string, string> _remote = new(StringComparer.Ordinal);

    /// <summary>What this node appended and has not seen come back, with what it does here then; oldest first.</summary>
    private readonly Queue<(long Seq, Action Effect)> _awaiting = new();

    /// <summary>Barriers waiting for this node's entries up to a number to take effect.</summary>
    private readonly OwnEntryBarriers _barriers = new();

    /// <summary>Drops what other nodes' writers wrote twice.</summary>
    private readonly DuplicateFilter _duplicates = new();

    /// <summary>This replica's writer id: its entries are numbered from 1 under it.</summary>
    private readonly string _origin;

    /// <summary>The number of this replica's last entry to this log.</summary>
    private long _ownSeq;

    /// <summary>Whether Redis answers (the link's last word).</summary>
    private bool _up;

    /// <summary>When this replica started (Unix ms, less a second for clocks): a room started while Redis was away reads the log from here when it attaches.</summary>
    private readonly long _startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;

    /// <summary>Whether this room had members before it could attach (it started while Redis was away).</summary>
    private bool _startedAlone;

    /// <summary>Creates the replica of <paramref name="room"/>; <paramref name="post"/> puts a signal in the room's mailbox.</summary>
    public RoomReplica(IRoomFanOut room, ProcessId roomProcess, ClusterServices cluster, Action<FollowerSignal> post)
    {
        _room = room;
        _origin = cluster.Node.WriterId(roomProcess);
        _cluster = cluster;
        _post = post;
        _keys = cluster.Node.Keys.Room(room.Name);
        _follower = new StreamFollower(_keys, FollowerDelay.Wrap(post, cluster.Node.FollowerDelay), cluster.Logger);
    }

    /// <summary>Entries read at attach for the history: several times its length, since joins and parts are entries too.</summary>
    private int SnapshotSize => (_cluster.Node.HistoryLength * 8) + 64;

    /// <summary>How many members are on other nodes.</summary>
    public int RemoteCount => _remote.Count;

    /// <summary>The members on other nodes: member id → nick.</summary>
    public IEnumerable<KeyValuePair<string, string>> RemoteMembers => _remote;

    /// <summary>Whether the member <paramref name="memberId"/> is in the room on another node.</summary>
    public bool IsRemote(string memberId) => _remote.ContainsKey(memberId);

    /// <summary>Forgets the member <paramref name="memberId"/> of another node (kicked); returns its nick, or null if it was not here.</summary>
    public string? RemoveRemote(string memberId) => _remote.Remove(memberId, out var nick) ? nick : null;

    /// <summary>The cluster-wide id of the member <paramref name="process"/> of this node.</summary>
    public string MemberId(ProcessId process) => _cluster.Node.MemberId(process);

    /// <summary>The process of <paramref name="memberId"/> when it is a member of this node's run, else null.</summary>
    public ProcessId? LocalProcessOf(string memberId) => _cluster.Node.TryGetLocalProcess(memberId, out var process) ? process : null;

    /// <summary>
    /// Starts watching the link and returns it (the room is linked to it); while Redis answers, attaches
    /// to the log before the room takes its first member, so the first joiner sees the members and history of the whole cluster.
    /// </summary>
    /// <exception cref="ServiceUnavailableException">The link is restarting.</exception>
    public async Task<ClusterLink> StartAsync(IProcess owner)
    {
        var link = _cluster.Watch(owner, _post);
        _up = link.IsUp;
        if (_up)
        {
            await AttachOrCatchUpAsync().ConfigureAwait(false);
        }

        return link;
    }

    /// <summary>Stops following; barriers still waiting are released (the room has nothing more to deliver).</summary>
    public void Stop()
    {
        _follower.Detach();
        _barriers.ReleaseAll();
    }

    /// <summary>Someone here said something (a member, or under <c>-n</c> someone outside): it reaches everyone (here: by <paramref name="deliverHere"/>) in the log's order.</summary>
    public void Say(IChatMember member, string nick, string text, LineKind kind, Action deliverHere)
    {
        if (kind == LineKind.Tags)
        {
            // A TAGMSG (a typing notice) is not worth the log: this node's members only.
            deliverHere();
            return;
        }

        Append(new ClusterEntry { Kind = EntryKinds.OfLine(kind), Nick = nick, Text = text }, AppendEffects.Line, member, isLine: true, deliverHere);
    }

    /// <summary>A member here joined, with <paramref name="status"/> (the first member of a new room is its operator); <paramref name="announceHere"/> tells the others here.</summary>
    public void Joined(IChatMember member, string nick, MemberStatus status, Action announceHere) =>
        Append(
            new ClusterEntry { Kind = EntryKinds.Join, Nick = nick, Status = status == MemberStatus.None ? null : (int)status },
            AppendEffects.JoinWith(status),
            member,
            isLine: false,
            announceHere);

    /// <summary>A member here left; <paramref name="announceHere"/> tells the others here.</summary>
    public void Left(IChatMember member, string nick, LeaveKind kind, string? reason, Action announceHere) =>
        Append(new ClusterEntry { Kind = EntryKinds.OfLeave(kind), Nick = nick, Text = reason }, AppendEffects.Leave, member, isLine: false, announceHere);

    /// <summary>A member here changed nick; <paramref name="announceHere"/> tells the others here.</summary>
    public void Renamed(IChatMember member, string newNick, Action announceHere) =>
        Append(new ClusterEntry { Kind = EntryKinds.Nick, Nick = newNick, Text = newNick }, AppendEffects.Nick, member, isLine: false, announceHere);

    /// <summary>An operator here set the topic (empty: cleared); <paramref name="applyHere"/> sets it here and tells the members.</summary>
    public void Topic(IChatMember member, string nick, string text, Action applyHere) =>
        Append(new ClusterEntry { Kind = EntryKinds.Topic, Nick = nick, Text = text }, AppendEffects.Moderation, member, isLine: false, applyHere);

    /// <summary>An operator here changed modes as <paramref name="plan"/> says; <paramref name="applyHere"/> applies them here and tells the members.</summary>
    public void Modes(IChatMember member, string nick, IReadOnlyList<PlannedMode> plan, Action applyHere) =>
        Append(new ClusterEntry { Kind = EntryKinds.Mode, Nick = nick, Modes = [.. plan.Select(EntryMode.From)] }, AppendEffects.Moderation, member, isLine: false, applyHere);

    /// <summary>An operator here kicked <paramref name="target"/> (called <paramref name="targetNick"/>); <paramref name="applyHere"/> tells the members here and removes it.</summary>
    public void Kick(IChatMember member, string nick, string target, string targetNick, string? reason, Action applyHere) =>
        Append(new ClusterEntry { Kind = EntryKinds.Kick, Nick = nick, Text = reason, To = targetNick, Target = target }, AppendEffects.Moderation, member, isLine: false, applyHere);

    /// <summary>A member here invited <paramref name="invitee"/>; <paramref name="applyHere"/> records the invite here.</summary>
    public void Invite(IChatMember member, string nick, string invitee, Action applyHere) =>
        Append(new ClusterEntry { Kind = EntryKinds.Invite, Nick = nick, To = invitee }, AppendEffects.Moderation, member, isLine: false, applyHere);

    /// <summary>Answers once everything this node appended before has taken effect here (at once while Redis is away).</summary>
    public void Barrier(Reply<bool> reply) => WhenOwnApplied(() => reply.Send(true));

    /// <summary>
    /// Once everything this node appended before has taken effect here, answers where this node is in the log
    /// and which other nodes have members here: a <c>/ping</c> waits for them to deliver the log up to there
    /// (<see cref="ClusterBarriers"/>). Null when there is nothing to wait for elsewhere: no member on another
    /// node, or Redis away (the barrier is then this node's only).
    /// </summary>
    public void PointInLog(Reply<LogPoint?> reply) => WhenOwnApplied(() => reply.Send(
        _up && _follower.IsAttached && _remote.Count > 0
            ? new LogPoint(_room.Name, _follower.LastId, _remote.Keys.Select(ClusterNode.NodeOf).ToHashSet(StringComparer.Ordinal))
            : null));

    private void WhenOwnApplied(Action release)
    {
        if (_awaiting.Count == 0)
        {
            release();
        }
        else
        {
            _barriers.Add(_ownSeq, release);
        }
    }

    /// <summary>Handles what the follower, the link or the outbox posted.</summary>
    public async ValueTask HandleAsync(FollowerSignal signal)
    {
        switch (signal)
        {
            case FollowerSignal.Status { Value: var status }:
                _up = status != ClusterStatus.Down;
                if (!_up)
                {
                    // Redis is away: what waits for its echo takes effect now; the echo is dropped when it comes.
                    RunAwaiting(long.MaxValue);
                    _follower.ReleaseWaiters();
                    return;
                }

                await AttachOrCatchUpAsync().ConfigureAwait(false);
                if (status == ClusterStatus.Rejoin)
                {
                    // The others declared this node lost and announced its members' quits: announce them again.
                    foreach (var (member, nick) in _room.LocalMembers)
                    {
                        Joined(member, nick, _room.StatusOf(MemberId(member.Process.Id)), announceHere: static () => { });
                    }
                }

                break;
            case FollowerSignal.Rejected { Write: var write, Why: var why }:
                RunAwaiting(write.Entry.Seq, only: true);
                if (write.IsLine && _cluster.Node.TryGetLocalProcess(write.Entry.Member, out var sender))
                {
                    _room.Tell(sender, new ChatEvent.NotDelivered(_room.Name, write.Entry.Text ?? "", why));
                }

                break;
            case FollowerSignal.AwaitApplied waiter:
                // Another node's /ping: answered once the lines are handed to the members here, not merely relayed.
                Follow(waiter with { Done = () => { _room.DeliverPending(); waiter.Done(); } });
                break;
            default:
                Follow(signal);
                break;
        }
    }

    private void Follow(FollowerSignal signal) =>
        _follower.Handle(signal, _cluster.Link, Apply, missed => _room.Broadcast(new ChatEvent.MissedLines(_room.Name, missed)));

    private async Task AttachOrCatchUpAsync()
    {
        if (_cluster.Link is not { } link)
        {
            return;
        }

        if (_follower.IsAttached)
        {
            _follower.CatchUp(link);
            return;
        }

        try
        {
            var snapshot = await _follower.AttachAsync(link, SnapshotSize).ConfigureAwait(false);
            foreach (var (member, nick) in snapshot.Members)
            {
                if (!_cluster.Node.IsMine(member))
                {
                    _remote[member] = nick;
                }
            }

            if (!_startedAlone)
            {
                // The room's topic, modes, bans, operators and invites as the log left them; a room opened during an
                // outage keeps what it decided alone (its entries are on their way), and learns the others' changes as they are read.
                _room.RestoreModeration(ModerationState.Read(snapshot.Moderation, member => _remote.ContainsKey(member)));
            }

            if (_startedAlone)
            {
                // Started while Redis was away: what the others wrote since this room started is news to its members, not history.
                // Stream ids carry Redis's clock: the start is moved by the difference between the clocks.
                var time = (RedisResult[])(await link.Database.ExecuteAsync("TIME").ConfigureAwait(false))!;
                var redisNow = (long.Parse((string)time[0]!, CultureInfo.InvariantCulture) * 1000) + (long.Parse((string)time[1]!, CultureInfo.InvariantCulture) / 1000);
                _follower.RewindTo(new StreamId(_startedAt + (redisNow - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), 0));
                _follower.CatchUp(link);
                return;
            }

            // A retried write may be in the log twice: the history shows it once.
            var seen = new DuplicateFilter();
            _room.SeedHistory(snapshot.Recent
                .Where(e => e.Entry is { Kind: EntryKinds.Say or EntryKinds.Act or EntryKinds.Note } entry && seen.IsNew(entry))
                .TakeLast(_cluster.Node.HistoryLength)
                .Select(e => new ChatEvent.HistoryLine(_room.Name, e.Entry!.LocalTime, e.Entry.Nick, e.Entry.Text ?? "", e.Entry.IsAction)));
        }
        catch (Exception exception) when (RedisCalls.Failed(exception))
        {
            // Attaching waits for the link's next "up".
            _cluster.Logger.LogDebug("cluster: room {Room} could not attach to its log: {Error}", _room.Name, exception.Message);
        }
    }

    /// <summary>Appends <paramref name="entry"/> (kind, nick and what else it carries) as this replica's next, about <paramref name="member"/>; <paramref name="hereEffect"/> runs when it comes back from the log (at once while Redis is away).</summary>
    private void Append(ClusterEntry entry, string effect, IChatMember member, bool isLine, Action hereEffect)
    {
        var seq = ++_ownSeq;
        entry = entry with
        {
            Origin = _origin,
            Seq = seq,
            Member = _cluster.Node.MemberId(member.Process.Id),
            At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        _startedAlone |= !_follower.IsAttached;
        var queued = _cluster.Outbox?.Append(new OutboxWrite(_keys, effect, entry, _room.Name, isLine, (write, why) => _post(new FollowerSignal.Rejected(write, why)))) ?? false;
        if (_up && queued && _follower.IsAttached)
        {
            _awaiting.Enqueue((seq, hereEffect));
        }
        else
        {
            hereEffect();
        }
    }

    private void Apply(LogEntry logEntry)
    {
        var entry = logEntry.Entry!;
        if (entry.Origin == _origin)
        {
            RunAwaiting(entry.Seq);
            return;
        }

        if (!_duplicates.IsNew(entry) || _cluster.Node.IsMine(entry.Member))
        {
            // A repeat, or about a member of this node written by someone else (a survivor's clean-up, an earlier run): this node knows better.
            return;
        }

        var size = _room.LocalCount + _remote.Count;
        switch (entry.Kind)
        {
            case EntryKinds.Say or EntryKinds.Act or EntryKinds.Note:
                _room.Relay(new ChatEvent.RoomLine(_room.Name, entry.Nick, entry.Text ?? "", entry.LineKind, default), entry.LocalTime);
                break;
            case EntryKinds.Join when _remote.TryAdd(entry.Member, entry.Nick):
                _room.SetStatus(entry.Member, (MemberStatus)(entry.Status ?? 0));
                _room.Invited(entry.Nick, used: true);
                _room.Announce(new ChatEvent.Joined(_room.Name, entry.Nick), except: null, size + 1);
                break;
            case EntryKinds.Part or EntryKinds.Quit or EntryKinds.Lost when _remote.Remove(entry.Member, out var nick):
                _room.SetStatus(entry.Member, MemberStatus.None);
                _room.Announce(new ChatEvent.Left(_room.Name, nick, EntryKinds.LeaveOf(entry.Kind), entry.Text), except: null, size);
                break;
            case EntryKinds.Topic:
                _room.ApplyTopic(entry.Nick, entry.Text ?? "", entry.LocalTime);
                break;
            case EntryKinds.Mode when entry.Modes is { } modes:
                _room.ApplyModes(entry.Nick, [.. modes.Select(m => m.ToPlanned())], entry.LocalTime);
                break;
            case EntryKinds.Kick when entry.Target is { } target:
                _room.ApplyKick(entry.Nick, target, entry.Text);
                break;
            case EntryKinds.Invite when entry.To is { } invitee:
                _room.Invited(invitee, used: false);
                break;
            case EntryKinds.Nick when _remote.TryGetValue(entry.Member, out var oldNick) && entry.Text is { } newNick:
                _remote[entry.Member] = newNick;
                _room.Announce(new ChatEvent.Renamed(_room.Name, oldNick, newNick), except: null, size);
                break;
        }
    }

    /// <summary>Runs the effects of this node's entries up to <paramref name="seq"/> (<paramref name="only"/>: just that one), then releases the barriers they held.</summary>
    private void RunAwaiting(long seq, bool only = false)
    {
        if (only)
        {
            var rest = _awaiting.ToList();
            _awaiting.Clear();
            foreach (var item in rest)
            {
                if (item.Seq == seq)
                {
                    item.Effect();
                }
                else
                {
                    _awaiting.Enqueue(item);
                }
            }
        }
        else
        {
            while (_awaiting.TryPeek(out var next) && next.Seq <= seq)
            {
                _awaiting.Dequeue().Effect();
            }
        }

        // What the effects relayed is handed to the members before anyone waiting hears it is done.
        _barriers.Release(_awaiting.TryPeek(out var first) ? first.Seq - 1 : long.MaxValue, _room.DeliverPending);
    }
}
