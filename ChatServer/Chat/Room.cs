using ChatServer.Cluster;
using ChatServer.Observability;
using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Chat;

/// <summary>
/// One chat room: its members, the last N messages, and the fan-out of each message to every
/// other member's mailbox. Each line is formatted once and the same instance is delivered to all;
/// messages that arrive in a burst are handed out as one <see cref="RoomBatch"/> once the room's
/// mailbox is empty (or the batch is full), before anything else the room does.
/// An empty room stops itself (normally), except a permanent one such as <c>#lobby</c>. A member
/// that leaves without saying so (a crash, a kill) is removed through a monitor, and announced.
/// Joins, parts and nick changes are announced only up to <see cref="RoomOptions.AnnounceLimit"/> members.
/// In a cluster the room on each node has a <see cref="RoomReplica"/>: lines and membership changes
/// go through the room's log in Redis and take effect here in its order (docs/cluster.md); members on
/// other nodes count for announcements and <c>/who</c>. The room is linked to the cluster link: it ends
/// when the link does, and its members join it anew.
/// Moderation (IRC's operators, voice, topic, bans, keys, limits, invites; <see cref="RoomModeration"/>)
/// is in <c>Room.Moderation.cs</c>; what it counts and traces in <c>Room.Observability.cs</c>.
/// </summary>
public sealed partial class Room : Worker<Room.Message>, IRoomFanOut
{
    // Bounds what a recipient takes in one step (and the room's pending list) when lines never stop coming.
    private const int MaxBatch = 64;

    private readonly Dictionary<ProcessId, Member> _members = [];
    private readonly RoomHistory _history;
    private readonly List<ChatEvent.RoomLine> _pendingLines = [];
    private readonly RoomOptions _options;
    private readonly bool _permanent;
    private readonly RoomModeration _moderation;

    /// <summary>The room's cluster half, or null on a server that runs alone.</summary>
    private readonly RoomReplica? _replica;

    /// <summary>Creates a room named <paramref name="name"/>; a <paramref name="permanent"/> one does not stop when empty.</summary>
    public Room(string name, RoomOptions options, bool permanent, TimeProvider timeProvider)
        : this(name, options, permanent, timeProvider, cluster: null)
    {
    }

    /// <summary>Creates a room that is, with <paramref name="cluster"/>, this node's part of a room spanning the cluster.</summary>
    internal Room(string name, RoomOptions options, bool permanent, TimeProvider timeProvider, ClusterServices? cluster)
        : base(new WorkerOptions { Name = name, TimeProvider = timeProvider })
    {
        _options = options;
        _history = new RoomHistory(name, options.HistoryLength);
        _permanent = permanent;

        // #lobby is where every connection is placed: nobody runs it, and nothing there can refuse anyone.
        var isLobby = RoomName.Comparer.Equals(name, RoomName.Lobby);
        var lobbyTopic = isLobby && options.LobbyTopic.Length > 0 ? new RoomTopic(options.LobbyTopic, RoomTopic.ServerSetter, timeProvider.GetUtcNow()) : null;
        _moderation = new RoomModeration(isFixed: isLobby, lobbyTopic);
        _replica = cluster is null ? null : new RoomReplica(this, Id, cluster, signal => Tell(new FromCluster(signal)));
    }

    /// <summary>A room's mailbox protocol.</summary>
    public abstract record Message;

    private sealed record Join(IChatMember Member, string Nick, string? Key, Reply<RoomJoin> Reply) : Message;

    private sealed record Leave(IChatMember Member, LeaveKind Kind, string? Reason, Reply<bool>? WasMember) : Message;

    private record Say(IChatMember Member, string Text, LineKind Kind, string? Tags) : Message;

    private sealed record Renamed(IChatMember Member, string Nick) : Message;

    private sealed record ListMembers(Reply<IReadOnlyList<RoomMember>> Reply) : Message;

    private sealed record Barrier(Reply<bool> Reply) : Message;

    private sealed record NotifyOthers(IChatMember Member, ChatEvent Notice) : Message;

    private sealed record MemberDown(ProcessDown Down) : Message;

    private sealed record FromCluster(FollowerSignal Signal) : Message;

    private sealed record LinkDown(ProcessDown Down) : Message;

    // A struct in the members' dictionary: no object per membership (10,000 members in #lobby).
    // Key: how moderation names the member (RoomModeration), made once at the join.
    private readonly record struct Member(IChatMember Client, string Nick, MonitorRef Monitor, string Key);

    /// <summary>
    /// Adds <paramref name="member"/>: the others are told, the joiner gets the history (each line
    /// marked with its time) before any live message. Returns how many others are here, or -1 when the room refused the joiner.
    /// </summary>
    public async Task<int> JoinAsync(IChatMember member, string nick)
    {
        var joined = await JoinAsync(member, nick, key: null).ConfigureAwait(false);
        return joined.Refusal == JoinRefusal.None ? joined.OthersHere : -1;
    }

    /// <summary>
    /// Adds <paramref name="member"/>, giving <paramref name="key"/> for a room with one (<c>+k</c>), unless the
    /// room refuses it (a ban, <c>+i</c> without an invite, the wrong key, <c>+l</c> reached): then nothing is
    /// announced. The first member of a new room (not <c>#lobby</c>) is its operator. Returns how many others
    /// are here and the topic, or the refusal.
    /// </summary>
    public Task<RoomJoin> JoinAsync(IChatMember member, string nick, string? key) => CallAsync<RoomJoin>(reply => new Join(member, nick, key, reply));

    /// <summary>Removes <paramref name="member"/> and tells the others "nick left". Returns whether it was a member.</summary>
    public Task<bool> PartAsync(IChatMember member, string? reason) =>
        CallAsync<bool>(reply => new Leave(member, LeaveKind.Part, reason, reply));

    /// <summary>Removes <paramref name="member"/>, telling the others it quit. Does not wait.</summary>
    public void Quit(IChatMember member, string? reason) => Tell(new Leave(member, LeaveKind.Quit, reason, null));

    /// <summary>Relays <paramref name="text"/> from <paramref name="member"/> to every other member. Does not wait.</summary>
    public bool Publish(IChatMember member, string text, LineKind kind, string? tags = null) => Tell(SayMessage(member, text, kind, tags));

    /// <summary>Tells the room a member's new nick; the others are told. Does not wait.</summary>
    public void Rename(IChatMember member, string nick) => Tell(new Renamed(member, nick));

    /// <summary>The members' nicks, ordered.</summary>
    public async Task<IReadOnlyList<string>> WhoAsync() => [.. (await MembersAsync().ConfigureAwait(false)).Select(m => m.Nick)];

    /// <summary>The members with their masks and statuses (here and, in a cluster, elsewhere), ordered by nick.</summary>
    public Task<IReadOnlyList<RoomMember>> MembersAsync() => CallAsync<IReadOnlyList<RoomMember>>(reply => new ListMembers(reply));

    /// <summary>
    /// Completes once the room has handled everything queued before it, so everything a member sent
    /// earlier is already in the recipients' mailboxes. Members use it to keep their order across rooms.
    /// </summary>
    public Task BarrierAsync() => CallAsync<bool>(reply => new Barrier(reply));

    /// <summary>Tells the other members news about <paramref name="member"/> (IRC's away-notify), if it is a member here; on this node only. Does not wait.</summary>
    public void Notify(IChatMember member, ChatEvent notice) => Tell(new NotifyOthers(member, notice));

    /// <inheritdoc />
    protected override ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
    {
        if (message is not (Say or SayOutside))
        {
            // Relayed lines go out before a join, a leave or a barrier reply: members see everything in the order the room did.
            DeliverPending();
        }

        switch (message)
        {
            case Say say when _members.TryGetValue(say.Member.Process.Id, out var sender):
                SayTraced(sender, say);
                break;
            case Join join:
                join.Reply.Send(Add(join.Member, join.Nick, join.Key));
                break;
            case Leave leave:
                var wasMember = Remove(leave.Member.Process.Id, leave.Kind, leave.Reason);
                leave.WasMember?.Send(wasMember);
                break;
            case Renamed renamed when _members.TryGetValue(renamed.Member.Process.Id, out var member):
                _members[renamed.Member.Process.Id] = member with { Nick = renamed.Nick };
                var announcement = new ChatEvent.Renamed(Name, member.Nick, renamed.Nick) { Mask = member.Client.Mask };
                if (_replica is null)
                {
                    Announce(announcement, except: renamed.Member.Process.Id);
                }
                else
                {
                    _replica.Renamed(renamed.Member, renamed.Nick, AnnounceHere(announcement, except: renamed.Member.Process.Id));
                }

                break;
            case ListMembers list:
                list.Reply.Send(Members());
                break;
            case NotifyOthers notify when _members.ContainsKey(notify.Member.Process.Id):
                Broadcast(notify.Notice, except: notify.Member.Process.Id);
                break;
            case Barrier barrier when _replica is not null:
                _replica.Barrier(barrier.Reply);
                break;
            case Barrier barrier:
                barrier.Reply.Send(true);
                break;
            case PointInLog point when _replica is not null:
                _replica.PointInLog(point.Reply);
                break;
            case PointInLog point:
                point.Reply.Send(null);
                break;
            case MemberDown down:
                Remove(down.Down.Process.Id, LeaveKind.ConnectionLost, reason: null);
                break;
            case FromCluster fromCluster:
                return _replica!.HandleAsync(fromCluster.Signal);
            case LinkDown:
                Stop(ExitReason.Failure(new ServiceUnavailableException()));
                break;
            default:
                HandleModeration(message);
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>In a cluster, the room attaches to its log, watches the link and is linked to it.</summary>
    protected override async ValueTask InitAsync(CancellationToken cancellationToken)
    {
        _counted = ChatMetrics.RoomCount.Open();
        if (_replica is not null)
        {
            var link = await _replica.StartAsync(this).ConfigureAwait(false);
            Monitor(link, down => new LinkDown(down));
        }
    }

    /// <summary>A burst of messages has been relayed: hand it to the members.</summary>
    protected override ValueTask OnMailboxEmptyAsync(CancellationToken cancellationToken)
    {
        DeliverPending();
        return ValueTask.CompletedTask;
    }

    /// <summary>Relayed lines still pending go out on a graceful stop too.</summary>
    protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        // Lines relayed go out before the barriers the replica still holds are released.
        DeliverPending();
        _replica?.Stop();
        _counted?.Dispose();
        return ValueTask.CompletedTask;
    }

    private RoomJoin Add(IChatMember client, string nick, string? key)
    {
        if (_members.ContainsKey(client.Process.Id))
        {
            return new RoomJoin(_members.Count - 1, JoinRefusal.None, _moderation.Topic);
        }

        if (_moderation.CheckJoin(nick, client.Mask, key, MemberCount) is not JoinRefusal.None and var refusal)
        {
            StopIfEmpty();
            return new RoomJoin(0, refusal, null);
        }

        var member = new Member(client, nick, Monitor(client.Process, down => new MemberDown(down)), KeyOf(client.Process.Id));
        _moderation.Joined(member.Key, nick, first: MemberCount == 0);
        _members.Add(client.Process.Id, member);
        var announcement = new ChatEvent.Joined(Name, nick) { Mask = client.Mask, Away = client.Status.Away };
        if (_replica is null)
        {
            Announce(announcement, except: client.Process.Id);
        }
        else
        {
            _replica.Joined(client, nick, _moderation.StatusOf(member.Key), AnnounceHere(announcement, except: client.Process.Id));
        }

        _history.ReplayTo(client);
        return new RoomJoin(MemberCount - 1, JoinRefusal.None, _moderation.Topic);
    }

    private bool Remove(ProcessId id, LeaveKind kind, string? reason)
    {
        if (!_members.Remove(id, out var member))
        {
            return false;
        }

        Demonitor(member.Monitor);
        _moderation.Forget(member.Key);
        var announcement = new ChatEvent.Left(Name, member.Nick, kind, reason) { Mask = member.Client.Mask };
        if (_replica is null)
        {
            Announce(announcement, except: null, size: MemberCount + 1);
        }
        else
        {
            _replica.Left(member.Client, member.Nick, kind, reason, AnnounceHere(announcement, except: null, size: MemberCount + 1));
        }

        StopIfEmpty();
        return true;
    }

    /// <summary>A room with no member here stops, except a permanent one.</summary>
    private void StopIfEmpty()
    {
        if (_members.Count == 0 && !_permanent)
        {
            Stop(ExitReason.Normal);
        }
    }

    /// <summary>A member said something: relayed (in a cluster, through the log), unless moderation stops it, and then the sender is told.</summary>
    private void SayFrom(Member sender, string text, LineKind kind, string? tags)
    {
        if (_moderation.CheckSay(sender.Key, sender.Nick, sender.Client.Mask) is { } refused)
        {
            sender.Client.Deliver(new ChatEvent.CannotSend(Name, refused));
        }
        else if (_replica is null)
        {
            Relay(sender.Client, sender.Nick, text, kind, tags);
        }
        else
        {
            _replica.Say(sender.Client, sender.Nick, text, kind, () => Relay(sender.Client, sender.Nick, text, kind, tags));
        }
    }

    /// <summary>Members here and, in a cluster, elsewhere.</summary>
    private int MemberCount => _members.Count + (_replica?.RemoteCount ?? 0);
}
