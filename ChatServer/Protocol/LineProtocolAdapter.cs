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
        link.Write(ServerLines.Notice("type /help for commands"));
    }

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
                Say(say.Text, isAction: false);
                break;
            case Command.Action action:
                Say(action.Text, isAction: true);
                break;
            case Command.Nick nick:
                await ChangeNickAsync(nick.Name).ConfigureAwait(false);
                break;
            case Command.Join join:
                var joined = await session.JoinAsync(join.Room).ConfigureAwait(false);
                link.Write(joined.WasMember
                    ? ServerLines.Notice($"{joined.Room} is now your current room")
                    : ServerLines.Notice($"you joined {joined.Room} ({Others(joined.OthersHere)} here)"));
                break;
            case Command.Part part:
                await PartAsync(part.Room).ConfigureAwait(false);
                break;
            case Command.Rooms:
                var rooms = await session.ListRoomsAsync().ConfigureAwait(false);
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

    private void Say(string text, bool isAction)
    {
        if (!session.Say(text, isAction))
        {
            link.Write(ServerLines.Error("you are in no room; /join #room first"));
        }
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

        link.Write(ServerLines.Notice($"you left {parted.Room}"));
        link.Write(parted.Current is null
            ? ServerLines.Notice("you are in no room; /join #room to talk")
            : ServerLines.Notice($"your current room is {parted.Current}"));
    }

    private async Task WhoAsync(string? room)
    {
        var members = await session.WhoAsync(room).ConfigureAwait(false);
        link.Write(members is null
            ? ServerLines.Error(room is null ? "you are in no room" : $"no such room {room}")
            : ServerLines.Notice($"members of {members.Room} ({members.Nicks.Count}): {string.Join(", ", members.Nicks)}".TrimEnd()));
    }
}
