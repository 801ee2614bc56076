using ChatServer.Chat;
using ChatServer.Cluster;
using ChatServer.Observability;
using ChatServer.Protocol;
using Polly;
using Polly.Retry;
using Supervision;

namespace ChatServer.Sessions;

/// <summary>
/// The chat side of one person: nick, rooms, current room, and the ordering barriers that keep what
/// the person says in order across rooms. Talks to presence and rooms; speaks in results and
/// <see cref="ChatEvent"/>s, never in text, so every protocol adapter drives the same session.
/// Lives on its owner's loop: not thread-safe, and never blocks on the person's own connection.
/// </summary>
internal sealed partial class Session(ISessionOwner owner, ChatServices services)
{
    /// <summary>The rooms joined, each with the monitor on it. A list: most people are in one or two rooms, and a dictionary would cost more than it saves.</summary>
    private readonly List<JoinedRoom> _rooms = [];

    /// <summary>Rooms told something since their last barrier: they may still be delivering it.</summary>
    private readonly UnsettledRooms _unsettled = new();

    /// <summary>In a cluster, what this person sent since their last barrier that other nodes deliver.</summary>
    private readonly RemoteDeliveries? _remote = services.Cluster is null ? null : new RemoteDeliveries();

    /// <summary>The room plain lines go to, or null.</summary>
    private Room? _current;

    /// <summary>The presence incarnation this session registered with (and monitors), or null.</summary>
    private Presence? _presence;

    /// <summary>The nick, or null before the first registration.</summary>
    private string? _nick;

    /// <summary>The nick; <c>?</c> before registration.</summary>
    public string Nick => _nick ?? "?";

    /// <summary>Whether the person holds a nick (registered with presence).</summary>
    public bool HasNick => _nick is not null;

    /// <summary>The current room's name, or null.</summary>
    public string? CurrentRoom => _current?.Name;

    /// <summary>
    /// Registers with the (possibly new) nick registry, keeping the current nick while it is free; after
    /// a registry restart (or, <paramref name="revoked"/>, a cluster split) that lost it, the rooms learn the new nick and the person is told (<see cref="ChatEvent.NickLost"/>).
    /// </summary>
    public Task RegisterAsync(bool revoked = false) => RegisterAsync(_nick, revoked);

    /// <summary>
    /// The first registration under <paramref name="wanted"/> (IRC's first <c>NICK</c>): true when the person
    /// got it; otherwise the person holds a guest nick meanwhile, until a <see cref="ChangeNickAsync"/> succeeds.
    /// </summary>
    public async Task<bool> ClaimNickAsync(string wanted)
    {
        await RegisterAsync(wanted, revoked: false, announceLoss: false).ConfigureAwait(false);
        return NickName.Comparer.Equals(_nick, wanted);
    }

    /// <summary>The names of the rooms this person is in, in the order joined.</summary>
    public IReadOnlyList<string> Rooms => [.. _rooms.Select(joined => joined.Room.Name)];

    /// <summary>Tells the people in this person's rooms that it went away (<paramref name="away"/>) or came back (null).</summary>
    public void AnnounceAway(string? away)
    {
        var notice = new ChatEvent.AwayChanged(Nick, away) { Mask = owner.Member.Mask };
        foreach (var joined in _rooms)
        {
            joined.Room.Notify(owner.Member, notice);
        }
    }

    /// <summary>Who is connected: lookups that need no session state (IRC's WHO, WHOIS, WHOWAS, ISON, LUSERS, LIST).</summary>
    public People People { get; } = new(services);

    private async Task RegisterAsync(string? wanted, bool revoked, bool announceLoss = true)
    {
        var (presence, nick) = await ServiceRetry.RunAsync(owner.Stopping, async () =>
        {
            var presence = services.Presence ?? throw new ServiceUnavailableException();
            return (presence, await presence.RegisterAsync(owner.Member, wanted).ConfigureAwait(false));
        }).ConfigureAwait(false);
        if (!ReferenceEquals(presence, _presence))
        {
            // Once per presence incarnation: registering again with the same one (a revoked nick) adds no monitor.
            owner.MonitorPresence(presence);
            _presence = presence;
        }

        _nick = nick;
        if (announceLoss && wanted is not null && nick != wanted)
        {
            foreach (var joined in _rooms)
            {
                joined.Room.Rename(owner.Member, nick);
            }

            owner.Tell(new ChatEvent.NickLost(wanted, nick, takenElsewhere: revoked));
        }
    }

    /// <summary>Changes the nick if no one else holds it; the rooms are told.</summary>
    public async Task<NickChange> ChangeNickAsync(string nick)
    {
        var presence = services.Presence ?? throw new ServiceUnavailableException();
        var change = await presence.RenameAsync(owner.Member, nick).ConfigureAwait(false);
        if (change == NickChange.Changed)
        {
            _nick = nick;
            foreach (var joined in _rooms)
            {
                joined.Room.Rename(owner.Member, nick);
                _unsettled.Mark(joined.Room);
            }
        }

        return change;
    }

    /// <summary>
    /// Joins <paramref name="name"/> (created if needed; the first member of a new room is its operator), giving
    /// <paramref name="key"/> for a room with a key (<c>+k</c>), or only makes it current if already in it.
    /// A room may refuse (<see cref="JoinResult.Refusal"/>): then nothing changed.
    /// </summary>
    public async Task<JoinResult> JoinAsync(string name, string? key = null)
    {
        if (Find(name) is { } joined)
        {
            _current = joined.Room;
            return new JoinResult(joined.Room.Name, -1);
        }

        var (room, join) = await JoinRoomAsync(name, key).ConfigureAwait(false);
        return join.Refusal == JoinRefusal.None
            ? new JoinResult(room.Name, join.OthersHere, JoinRefusal.None, join.Topic)
            : new JoinResult(room.Name, 0, join.Refusal);
    }

    /// <summary>Leaves <paramref name="name"/> (null: the current room).</summary>
    public async Task<PartResult> PartAsync(string? name, string? reason = null)
    {
        var room = name is null ? _current : Find(name)?.Room;
        if (room is null)
        {
            return new PartResult(null, CurrentRoom);
        }

        Forget(room);
        try
        {
            await room.PartAsync(owner.Member, reason).ConfigureAwait(false);
        }
        catch (ProcessExitedException)
        {
            // The room is gone already: leaving it is done.
        }

        return new PartResult(room.Name, CurrentRoom);
    }

    /// <summary>
    /// Says <paramref name="text"/> in <paramref name="name"/> (null: the current room). A room the person is
    /// not in gets it as a line from outside, which it relays only when <c>-n</c>. What only the room can judge
    /// (<c>+m</c>, a ban, <c>+n</c>) comes back as <see cref="ChatEvent.CannotSend"/>.
    /// </summary>
    public SayResult Say(string? name, string text, LineKind kind, string? tags = null)
    {
        if ((name is null ? _current : Find(name)?.Room) is { } room)
        {
            ChatMetrics.MessagesReceived.Add(1);
#if !CHAT_NO_TRACING
            // The room's message carries this span's context (Room.Publish): the trace's root.
            using var received = ChatTracing.StartReceived(owner.Member.Process.Id);
#endif
            room.Publish(owner.Member, text, kind, tags);
            _unsettled.Mark(room);
            _remote?.Spoke(room);
            return SayResult.Sent;
        }

        if (name is null)
        {
            return SayResult.NotInRoom;
        }

        if (services.FindRoom(name) is not { } outside)
        {
            return SayResult.NoSuchRoom;
        }

        ChatMetrics.MessagesReceived.Add(1);
        outside.PublishFromOutside(owner.Member, Nick, text, kind, tags);
        _unsettled.Mark(outside);
        _remote?.Spoke(outside);
        return SayResult.Sent;
    }

    /// <summary>The members of <paramref name="name"/> (null: the current room), or null when there is no such room.</summary>
    public async Task<RoomMembers?> WhoAsync(string? name)
    {
        var room = name is null
            ? _current
            : Find(name)?.Room ?? services.FindRoom(name);
        if (room is null && name is not null && services.Cluster is { } cluster && await ClusterDirectory.MembersAsync(cluster, name).ConfigureAwait(false) is { } elsewhere)
        {
            // A room with members on other nodes only.
            return new RoomMembers(elsewhere.Room, [.. elsewhere.Members.Select(m => new RoomMember(m.Nick, PersonMask.Hidden, m.Status))]);
        }

        if (room is null)
        {
            return null;
        }

        try
        {
            return new RoomMembers(room.Name, await room.MembersAsync().ConfigureAwait(false));
        }
        catch (ProcessExitedException)
        {
            // It emptied and stopped between being found and being asked: there is no such room any more.
            return null;
        }
    }

    /// <summary>Sends a private message (<paramref name="isNotice"/>: IRC's NOTICE); false when no one holds <paramref name="nick"/> (or its holder is leaving).</summary>
    public async Task<bool> SendPrivateAsync(string nick, string text, bool isNotice = false, string? tags = null)
    {
        var presence = services.Presence ?? throw new ServiceUnavailableException();
        var target = await presence.FindAsync(nick).ConfigureAwait(false);
        ChatMetrics.MessagesReceived.Add(1);
        if (target is null || !target.Deliver(new ChatEvent.PrivateMessage(Nick, text) { Sender = owner.Member, Mask = owner.Member.Mask, To = nick, IsNotice = isNotice, Tags = tags }))
        {
            return false;
        }

        _remote?.WroteTo(target);
        return true;
    }

    /// <summary>A room this person is in stopped: it is joined anew (an empty room with no history), and the person is told.</summary>
    public async Task OnRoomDownAsync(ProcessDown down)
    {
        if (Find(down.Process.Name) is not { } joined || !ReferenceEquals(joined.Room, down.Process))
        {
            return;
        }

        var wasCurrent = ReferenceEquals(_current, joined.Room);
        var current = _current;
        Forget(joined.Room);
        owner.Tell(new ChatEvent.RoomRestarting(joined.Room.Name));
        try
        {
            // The room starts anew, with none of its modes: nothing can refuse the person, who is now its operator if first back.
            if ((await JoinRoomAsync(joined.Room.Name, key: null).ConfigureAwait(false)).Join.Refusal != JoinRefusal.None)
            {
                owner.Tell(new ChatEvent.RoomRejoinFailed(joined.Room.Name));
            }
        }
        catch (Exception exception) when (IsServiceFailure(exception))
        {
            owner.Tell(new ChatEvent.RoomRejoinFailed(joined.Room.Name));
        }

        if (!wasCurrent)
        {
            _current = current;
        }
    }

    /// <summary>The nick registry stopped: register with its next incarnation.</summary>
    public Task OnPresenceDownAsync() => RegisterAsync();

    /// <summary>The nick registry took the nick back (<see cref="IChatMember.RegisterAgain"/>): register again, keeping the nick if it is free after all.</summary>
    public Task OnNickRevokedAsync() => RegisterAsync(revoked: true);

    /// <summary>
    /// Leaves every room as a quit with <paramref name="reason"/>, once what was said before has been
    /// delivered (bounded: a room too slow to settle lets the quit overtake a line there).
    /// </summary>
    public async Task QuitAsync(string? reason)
    {
        try
        {
            await _unsettled.SettleAsync(null).ConfigureAwait(false);
        }
        catch (CallTimeoutException)
        {
            // Leaving matters more than the order of one line in a stuck room.
        }

        try
        {
            // The nick is free (cluster-wide too) before anyone hears of the quit.
            await (services.Presence?.UnregisterAsync(owner.Member) ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsServiceFailure(exception))
        {
            // Presence is restarting: the nick is freed when this process exits.
        }

        foreach (var joined in _rooms)
        {
            joined.Room.Quit(owner.Member, reason);
        }
    }

    /// <summary>Whether <paramref name="exception"/> is a service restarting or overloaded: it costs one command, not the connection.</summary>
    public static bool IsServiceFailure(Exception exception) =>
        exception is ServiceUnavailableException or ProcessExitedException or CallTimeoutException or SupervisorException or ChildStartException;

    /// <summary>Joins <paramref name="name"/> and makes it current, unless the room refuses; returns the room and its answer.</summary>
    private Task<(Room Room, RoomJoin Join)> JoinRoomAsync(string name, string? key) =>
        ServiceRetry.RunAsync(owner.Stopping,
            async () =>
            {
                // A live room is found by its registered name; only a new one costs a call to the directory.
                // A room that empties and stops just as we join is simply opened again.
                var room = services.FindRoom(name)
                    ?? await (services.Rooms ?? throw new ServiceUnavailableException()).OpenAsync(name).ConfigureAwait(false);
                var join = await room.JoinAsync(owner.Member, Nick, key).ConfigureAwait(false);
                if (join.Refusal == JoinRefusal.None)
                {
                    _rooms.Add(new JoinedRoom(room, owner.MonitorRoom(room)));
                    _current = room;
                }

                return (room, join);
            });

    private JoinedRoom? Find(string name)
    {
        foreach (var joined in _rooms)
        {
            if (RoomName.Comparer.Equals(joined.Room.Name, name))
            {
                return joined;
            }
        }

        return null;
    }

    private void Forget(Room room)
    {
        var index = _rooms.FindIndex(joined => ReferenceEquals(joined.Room, room));
        if (index >= 0)
        {
            owner.Demonitor(_rooms[index].Monitor);
            _rooms.RemoveAt(index);
        }

        _unsettled.Forget(room);
        if (ReferenceEquals(_current, room))
        {
            _current = _rooms.Count > 0 ? _rooms[0].Room : null;
        }
    }

    // A struct in the list: no object per room joined.
    private readonly record struct JoinedRoom(Room Room, MonitorRef Monitor);
}
