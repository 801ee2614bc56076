using ChatServer.Chat;
using ChatServer.Cluster;
using ChatServer.Sessions;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// The IRC protocol (docs/irc.md) over a <see cref="Session"/>: registration first, then the commands of
/// Modern IRC, each answered with the numeric a real server gives. An IRC user is put in no room by
/// itself. Dispatches to the handlers of each family of commands; runs on the connection's worker loop.
/// </summary>
internal sealed class IrcProtocolAdapter : IProtocolAdapter
{
    private readonly IrcConnection _irc;
    private readonly IrcRegistration _registration;
    private readonly IrcChannels _channels;
    private readonly IrcModeration _moderation;
    private readonly IrcMessaging _messaging;
    private readonly IrcQueries _queries;
    private readonly IrcOperatorAccount _operator;
    private readonly IrcKeepAlive _keepAlive;
    private readonly IrcRepeatFilter _repeats = new();

    /// <summary>The adapter of one connection of <paramref name="server"/>.</summary>
    public IrcProtocolAdapter(Session session, IClientLink link, IrcServer server)
    {
        _irc = new IrcConnection(session, link, server);
        _registration = new IrcRegistration(_irc);
        _channels = new IrcChannels(_irc);
        _moderation = new IrcModeration(_irc);
        _messaging = new IrcMessaging(_irc);
        _queries = new IrcQueries(_irc);
        _operator = new IrcOperatorAccount(_irc);
        _keepAlive = new IrcKeepAlive(server);
    }

    /// <inheritdoc />
    public IChatEventFormat Format => _irc.Format;

    /// <inheritdoc />
    public Task StartAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public bool Shows(ChatEvent chatEvent) => _repeats.Shows(chatEvent);

    /// <inheritdoc />
    public TimeSpan TimerPeriod => _keepAlive.CheckEvery;

    /// <inheritdoc />
    public void OnTimer()
    {
        switch (_keepAlive.Check(_irc.IsRegistered))
        {
            case IrcKeepAlive.Verdict.Ping:
                _irc.Link.Write(OutboundLine.From(IrcLine.Build(null, null, "PING", _irc.Server.Name)));
                break;
            case IrcKeepAlive.Verdict.RegistrationTimeout:
                _irc.Link.Write(Error("Closing link: registration timed out"));
                _irc.Link.Close("registration timeout");
                break;
            case IrcKeepAlive.Verdict.PingTimeout:
                _irc.Link.Write(Error($"Ping timeout: {(_irc.Server.PingInterval * 2).TotalSeconds:0} seconds"));
                _irc.Link.Close("ping timeout");
                break;
        }
    }

    /// <inheritdoc />
    public async Task HandleLineAsync(string text)
    {
        _keepAlive.Touch();
        if (IrcMessage.IsTooLong(text))
        {
            _irc.Reply(IrcNumerics.InputTooLong, "Input line was too long");
            return;
        }

        if (IrcMessage.Parse(text) is not { } message)
        {
            return;
        }

        try
        {
            if (_irc.IsRegistered)
            {
                if (message.Command is not ("PRIVMSG" or "NOTICE"))
                {
                    // Order across rooms, as the line protocol keeps it; a message settles for its own target (IrcMessaging).
                    await _irc.Session.SettleAsync(roomLine: false).ConfigureAwait(false);
                }

                await ExecuteAsync(message).ConfigureAwait(false);
            }
            else
            {
                await RegisterAsync(message).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (Session.IsServiceFailure(exception))
        {
            // A service restarting or overloaded costs this one command, not the connection.
            _irc.FromServer("NOTICE", _irc.Target, "the server is busy, try again");
        }
        catch (ClusterPausedException exception)
        {
            _irc.FromServer("NOTICE", _irc.Target, exception.Message);
        }
    }

    /// <inheritdoc />
    public OutboundLine LineTooLong(int limit) => Numeric(IrcNumerics.InputTooLong, "Input line was too long");

    /// <inheritdoc />
    public OutboundLine SlowDown() => OutboundLine.From(IrcLine.Build(null, _irc.Server.Name, "NOTICE", _irc.Target, "slow down: your commands are being delayed"));

    /// <inheritdoc />
    public OutboundLine Disconnected(DisconnectReason reason, TimeSpan idleTimeout = default) => Error(reason switch
    {
        DisconnectReason.Flooding => "Excess Flood",
        DisconnectReason.IdleTimeout => $"Ping timeout: {idleTimeout.TotalSeconds:0} seconds",
        _ => "Server shutting down",
    });

    /// <inheritdoc />
    public OutboundLine WrongProtocol(string protocol) => Error($"This is an IRC port, not {protocol}");

    /// <inheritdoc />
    public OutboundLine Bye() => Error("Closing link (Quit)");

    /// <summary>The ERROR line that says why the server closes the link.</summary>
    public static OutboundLine Error(string text) => OutboundLine.From(IrcLine.Build(null, null, "ERROR", text));

    private OutboundLine Numeric(string numeric, string text) => OutboundLine.From(IrcLine.Build(null, _irc.Server.Name, numeric, _irc.Target, text));

    /// <summary>Before registration only registration's commands (and PING, PONG, QUIT) are open.</summary>
    private Task RegisterAsync(IrcMessage message)
    {
        switch (message.Command)
        {
            case "CAP":
            case "PASS":
            case "NICK":
            case "USER":
            case "PING":
            case "PONG":
            case "QUIT":
                return ExecuteAsync(message);
            default:
                _irc.Reply(IrcNumerics.NotRegistered, "You have not registered");
                return Task.CompletedTask;
        }
    }

    private async Task ExecuteAsync(IrcMessage message)
    {
        switch (message.Command)
        {
            case "CAP":
                await _registration.CapAsync(message).ConfigureAwait(false);
                break;
            case "PASS":
                _registration.Pass(message);
                break;
            case "NICK":
                await _registration.NickAsync(message).ConfigureAwait(false);
                break;
            case "USER":
                await _registration.UserAsync(message).ConfigureAwait(false);
                break;
            case "PING":
                await PingAsync(message).ConfigureAwait(false);
                break;
            case "PONG":
                break;
            case "QUIT":
                _irc.Link.Quit(message[0] is { Length: > 0 } reason ? reason : null);
                break;
            case "JOIN":
                await _channels.JoinAsync(message).ConfigureAwait(false);
                break;
            case "PART":
                await _channels.PartAsync(message).ConfigureAwait(false);
                break;
            case "NAMES":
                await _channels.NamesAsync(message).ConfigureAwait(false);
                break;
            case "TOPIC":
                await _channels.TopicAsync(message).ConfigureAwait(false);
                break;
            case "LIST":
                await _channels.ListAsync(message).ConfigureAwait(false);
                break;
            case "MODE":
                await _moderation.ModeAsync(message).ConfigureAwait(false);
                break;
            case "KICK":
                await _moderation.KickAsync(message).ConfigureAwait(false);
                break;
            case "INVITE":
                await _moderation.InviteAsync(message).ConfigureAwait(false);
                break;
            case "PRIVMSG":
            case "NOTICE":
                await _messaging.SendAsync(message).ConfigureAwait(false);
                break;
            case "TAGMSG":
                await _messaging.TagsOnlyAsync(message).ConfigureAwait(false);
                break;
            case "AWAY":
                _messaging.Away(message);
                break;
            case "OPER":
                _operator.Oper(message);
                break;
            case "KILL":
                await _operator.KillAsync(message).ConfigureAwait(false);
                break;
            default:
                await _queries.ExecuteAsync(message).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>PONG; once registered, like the line protocol's <c>/ping</c>, only after everything said before was delivered.</summary>
    private async Task PingAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } token)
        {
            _irc.Reply(IrcNumerics.NoOrigin, "No origin specified");
            return;
        }

        var pong = OutboundLine.From(IrcLine.Build(null, _irc.Server.Name, "PONG", _irc.Server.Name, token));
        if (!_irc.IsRegistered)
        {
            _irc.Link.Write(pong);
            return;
        }

        await _irc.Session.BarrierAsync().ConfigureAwait(false);
        _irc.Link.WriteAfterQueued(pong);
    }
}
