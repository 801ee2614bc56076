using ChatServer.Chat;
using ChatServer.Cluster;
using ChatServer.Faults;
using ChatServer.Sessions;

namespace ChatServer.Protocol;

/// <summary>
/// The line protocol of docs/protocol.md over a <see cref="Session"/>: a guest nick and <c>#lobby</c>
/// at connect, <c>/commands</c> and plain lines in, <c>[#room]</c>, <c>* </c> and <c>! </c> lines out.
/// </summary>
internal sealed class LineProtocolAdapter(Session session, IClientLink link) : IProtocolAdapter
{
    /// <inheritdoc />
    public IChatEventFormat Format => LineEventFormat.Instance;

    /// <inheritdoc />
    public async Task StartAsync()
    {
        await session.RegisterAsync().ConfigureAwait(false);
        link.Write(ServerLines.Notice($"welcome to SupervisedChat, you are {session.Nick}"));
        var lobby = await session.JoinAsync(RoomName.Lobby).ConfigureAwait(false);
        link.Write(ServerLines.Notice($"you are in {lobby.Room} with {Others(lobby.OthersHere)}"));
        WriteTopic(lobby.Room, lobby.Topic);
        link.Write(ServerLines.Notice("type /help for commands"));
    }

    /// <inheritdoc />
    public bool Shows(ChatEvent chatEvent) => true;

    /// <inheritdoc />
    public TimeSpan TimerPeriod => TimeSpan.Zero;

    /// <inheritdoc />
    public void OnTimer()
    {
        // The line protocol's only clock is the idle timeout, which the worker keeps.
    }

    /// <inheritdoc />
    public async Task HandleLineAsync(string text)
    {
        var command = CommandParser.Parse(text);
        if (command is Command.Empty)
        {
            return;
        }

        try
        {
            await session.SettleAsync(roomLine: command is Command.Say or Command.Action).ConfigureAwait(false);
            await ExecuteAsync(command).ConfigureAwait(false);
        }
        catch (Exception exception) when (Session.IsServiceFailure(exception))
        {
            // A service restarting or overloaded costs this one command, not the connection.
            link.Write(ServerLines.Error("the server is busy, try again"));
        }
        catch (ClusterPausedException exception)
        {
            // Needs the other servers, which cannot be reached now: the message says what.
            link.Write(ServerLines.Error(exception.Message));
        }
    }

    /// <inheritdoc />
    public OutboundLine LineTooLong(int limit) => ServerLines.Error($"line too long (over {limit} bytes), dropped");

    /// <inheritdoc />
    public OutboundLine SlowDown() => ServerLines.Error("slow down");

    /// <inheritdoc />
    public OutboundLine Disconnected(DisconnectReason reason, TimeSpan idleTimeout = default) => reason switch
    {
        DisconnectReason.Flooding => ServerLines.Error("disconnected for flooding"),
        DisconnectReason.IdleTimeout => ServerLines.Error($"disconnected after {idleTimeout.TotalSeconds:0} s without input"),
        _ => ServerLines.Notice("server shutting down"),
    };

    /// <inheritdoc />
    public OutboundLine WrongProtocol(string protocol) =>
        ServerLines.Error($"this port speaks the SupervisedChat line protocol, not {protocol}; connect with nc or telnet");

    /// <inheritdoc />
    public OutboundLine Bye() => ServerLines.Notice("bye");

    private static string Others(int count) => $"{count} {(count == 1 ? "other" : "others")}";

    private async Task ExecuteAsync(Command command)
    {
        switch (command)
        {
            case Command.Say say:
                Say(say.Text, LineKind.Message);
                break;
            case Command.Action action:
                Say(action.Text, LineKind.Action);
                break;
            case Command.Nick nick:
                await ChangeNickAsync(nick.Name).ConfigureAwait(false);
                break;
            case Command.Join join:
                await JoinAsync(join.Room, join.Key).ConfigureAwait(false);
                break;
            case Command.Part part:
                await PartAsync(part.Room).ConfigureAwait(false);
                break;
            case Command.Rooms:
                var rooms = await session.ListVisibleRoomsAsync().ConfigureAwait(false);
                link.Write(ServerLines.Notice($"rooms: {string.Join(", ", rooms.Select(r => $"{r.Room} ({r.Members})"))}"));
                break;
            case Command.Who who:
                await WhoAsync(who.Room).ConfigureAwait(false);
                break;
            case Command.PrivateMessage message:
                if (!await session.SendPrivateAsync(message.Target, message.Text).ConfigureAwait(false))
                {
                    link.Write(ServerLines.Error($"no such nick {message.Target}"));
                }

                break;
            case Command.Ping ping:
                await session.BarrierAsync().ConfigureAwait(false);
                link.WriteAfterQueued(ServerLines.Notice($"pong {ping.Token}".TrimEnd()));
                break;
            case Command.Quit quit:
                link.Quit(quit.Reason);
                break;
            case Command.Topic { Text: null }:
                await ShowTopicAsync().ConfigureAwait(false);
                break;
            case Command.Topic topic:
                WriteRefusal(await session.SetTopicAsync(null, topic.Text).ConfigureAwait(false), session.CurrentRoom, nick: null);
                break;
            case Command.Kick kick:
                WriteRefusal(await session.KickAsync(null, kick.Target, kick.Reason).ConfigureAwait(false), session.CurrentRoom, kick.Target);
                break;
            case Command.Invite invite:
                await InviteAsync(invite.Target, invite.Room ?? session.CurrentRoom).ConfigureAwait(false);
                break;
            case Command.Mode mode:
                await ChangeModesAsync(mode.Room ?? session.CurrentRoom, mode.Changes).ConfigureAwait(false);
                break;
            case Command.ShowModes show:
                var modes = await session.ModesAsync(show.Room).ConfigureAwait(false);
                link.Write(modes is null ? ServerLines.Error($"no such room {show.Room}") : ServerLines.Notice($"modes of {show.Room}: {modes}"));
                break;
            case Command.Bans:
                await ShowBansAsync().ConfigureAwait(false);
                break;
            case Command.Help:
                foreach (var line in ServerLines.HelpText)
                {
                    link.Write(OutboundLine.From(line));
                }

                break;
            case Command.Crash when link.EnableFaultInjection:
                throw new InjectedFaultException("client crashed on request (/crash, fault injection on)");
            case Command.Crash:
                link.Write(ServerLines.Error("unknown command /crash; type /help for commands"));
                break;
            case Command.Invalid invalid:
                link.Write(ServerLines.Error(invalid.Message));
                break;
        }
    }

    private void Say(string text, LineKind kind)
    {
        if (session.Say(null, text, kind) != SayResult.Sent)
        {
            link.Write(ServerLines.Error("you are in no room; /join #room first"));
        }
    }

    private async Task JoinAsync(string room, string? key)
    {
        var joined = await session.JoinAsync(room, key).ConfigureAwait(false);
        if (joined.IsRefused)
        {
            link.Write(ServerLines.Error($"cannot join {joined.Room}: {Refusal(joined.Refusal, joined.Room)}"));
            return;
        }

        if (joined.WasMember)
        {
            link.Write(ServerLines.Notice($"{joined.Room} is now your current room"));
            return;
        }

        link.Write(ServerLines.Notice($"you joined {joined.Room} ({Others(joined.OthersHere)} here)"));
        WriteTopic(joined.Room, joined.Topic);
    }

    private static string Refusal(JoinRefusal refusal, string room) => refusal switch
    {
        JoinRefusal.Banned => "you are banned (+b)",
        JoinRefusal.InviteOnly => "it is invite-only (+i); ask one of its operators for an /invite",
        JoinRefusal.BadKey => $"it needs a key (+k): /join {room} KEY",
        _ => "it is full (+l)",
    };

    /// <summary>A room's topic as shown to a joiner and by <c>/topic</c>; a topic from the server's options (<c>#lobby</c>) names no setter.</summary>
    private void WriteTopic(string room, RoomTopic? topic)
    {
        if (topic is not null)
        {
            link.Write(ServerLines.Notice(topic.SetBy == RoomTopic.ServerSetter
                ? $"topic of {room}: {LineEventFormat.Plain(topic.Text)}"
                : $"topic of {room}: {LineEventFormat.Plain(topic.Text)} (set by {topic.SetBy})"));
        }
    }

    private async Task ShowTopicAsync()
    {
        var topic = await session.TopicAsync(null).ConfigureAwait(false);
        if (topic.Room is null)
        {
            link.Write(ServerLines.Error("you are in no room"));
        }
        else if (topic.Topic is null)
        {
            link.Write(ServerLines.Notice($"{topic.Room} has no topic"));
        }
        else
        {
            WriteTopic(topic.Room, topic.Topic);
        }
    }

    private async Task InviteAsync(string nick, string? room)
    {
        if (room is null)
        {
            link.Write(ServerLines.Error("you are in no room"));
            return;
        }

        var result = await session.InviteAsync(room, nick).ConfigureAwait(false);
        if (result == ModerationResult.Done)
        {
            link.Write(ServerLines.Notice($"you invited {nick} to {room}"));
        }
        else
        {
            WriteRefusal(result, room, nick);
        }
    }

    private async Task ChangeModesAsync(string? room, IReadOnlyList<ModeChange> changes)
    {
        if (room is null)
        {
            link.Write(ServerLines.Error("you are in no room"));
            return;
        }

        var result = await session.ChangeModesAsync(room, changes).ConfigureAwait(false);
        WriteRefusal(result.Outcome, room, nick: null);
        foreach (var failure in result.Failures)
        {
            var change = failure.Change;
            var mode = (change.Add ? "+" : "-") + change.Mode;
            link.Write(ServerLines.Error(failure.Error switch
            {
                ModeError.UnknownMode => $"unknown mode {mode}; the modes are +o +v +b +k +l +m +n +t +i +s",
                ModeError.MissingArgument => $"{mode} needs an argument",
                ModeError.NoSuchNick => $"no such nick {change.Argument}",
                ModeError.TargetNotInRoom => $"{change.Argument} is not in {room}",
                ModeError.KeySet => $"{room} has a key already; -k first",
                ModeError.BanListFull => $"the ban list of {room} is full",
                _ => $"invalid argument for {mode}: {change.Argument}",
            }));
        }
    }

    private async Task ShowBansAsync()
    {
        var room = session.CurrentRoom;
        var bans = room is null ? null : await session.BansAsync(room).ConfigureAwait(false);
        link.Write(bans is null ? ServerLines.Error("you are in no room")
            : bans.Count == 0 ? ServerLines.Notice($"{room} has no bans")
            : ServerLines.Notice($"bans of {room}: {string.Join(", ", bans.Select(b => $"{b.Mask} (by {b.SetBy})"))}"));
    }

    /// <summary>
    /// The error line for a moderation request that was not done (nothing for <see cref="ModerationResult.Done"/>:
    /// the room tells everyone, the requester too). <paramref name="room"/> null: the person is in no room.
    /// </summary>
    private void WriteRefusal(ModerationResult result, string? room, string? nick)
    {
        if (result == ModerationResult.Done)
        {
            return;
        }

        link.Write(ServerLines.Error(result switch
        {
            _ when room is null => "you are in no room",
            ModerationResult.NoSuchRoom => $"no such room {room}",
            ModerationResult.NotInRoom => $"you are not in {room}",
            ModerationResult.NotOperator => $"you are not an operator of {room}",
            ModerationResult.NoSuchNick => $"no such nick {nick}",
            ModerationResult.TargetNotInRoom => $"{nick} is not in {room}",
            ModerationResult.AlreadyInRoom => $"{nick} is already in {room}",
            _ => $"{room} has no operators: its topic and modes are fixed",
        }));
    }

    private async Task ChangeNickAsync(string nick)
    {
        var old = session.Nick;
        switch (await session.ChangeNickAsync(nick).ConfigureAwait(false))
        {
            case NickChange.Unchanged:
                link.Write(ServerLines.Notice($"you are already {nick}"));
                break;
            case NickChange.Taken:
                link.Write(ServerLines.Error($"nick {nick} is taken"));
                break;
            default:
                link.LogRenamed(old, nick);
                link.Write(ServerLines.Notice($"you are now known as {nick}"));
                break;
        }
    }

    private async Task PartAsync(string? room)
    {
        var parted = await session.PartAsync(room).ConfigureAwait(false);
        if (parted.Room is null)
        {
            link.Write(ServerLines.Error(room is null ? "you are in no room" : $"you are not in {room}"));
            return;
        }

        // After the mail already queued (the room's notices of this person's earlier commands, a mode, a topic, are in
        // it, and must not arrive after the person was told it left); one write, so the two lines cannot be parted.
        link.WriteAfterQueued(OutboundLine.Concat(
        [
            ServerLines.Notice($"you left {parted.Room}"),
            parted.Current is null
                ? ServerLines.Notice("you are in no room; /join #room to talk")
                : ServerLines.Notice($"your current room is {parted.Current}"),
        ]));
    }

    private async Task WhoAsync(string? room)
    {
        var members = await session.WhoAsync(room).ConfigureAwait(false);
        link.Write(members is null
            ? ServerLines.Error(room is null ? "you are in no room" : $"no such room {room}")
            : ServerLines.Notice($"members of {members.Room} ({members.Members.Count}): {string.Join(", ", members.Members.Select(Prefixed))}".TrimEnd()));
    }

    /// <summary>A member as <c>/who</c> lists it: <c>@</c> for an operator, <c>+</c> for voiced, as IRC's NAMES.</summary>
    private static string Prefixed(RoomMember member) => member.Status switch
    {
        var status when status.HasFlag(MemberStatus.Op) => "@" + member.Nick,
        MemberStatus.Voice => "+" + member.Nick,
        _ => member.Nick,
    };
}
