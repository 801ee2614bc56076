using ChatServer.Chat;
using ChatServer.Decoding;
using ChatServer.Network;
using ChatServer.Protocol;
using ChatServer.Sessions;
using Microsoft.Extensions.Logging;
using Supervision;

namespace ChatServer.Clients;

/// <summary>
/// One connected person: the supervised worker that owns a <see cref="Connection"/>, its
/// <see cref="InputReader"/>, a <see cref="Session"/> and the <see cref="IProtocolAdapter"/> between
/// them. Input lines reach the adapter through this worker's mailbox; chat events from rooms and
/// presence arrive in the same mailbox, are formatted by the adapter and queued on the connection,
/// and everything written while the mailbox had mail leaves in one send. Exits normally when the
/// peer closes; rooms and presence learn of any exit through monitors.
/// </summary>
public sealed partial class ClientWorker : Worker<ClientMail>, IChatMember, ISessionOwner, IClientLink, IInputTarget
{
    // Lines written since the last send beyond which a long burst is sent before the mailbox is empty.
    private const int FlushThreshold = 16 * 1024;

    private readonly Connection _connection;
    private readonly ClientOptions _options;
    private readonly ILogger _logger;
    private readonly Session _session;
    private readonly IProtocolAdapter _adapter;
    private readonly InputReader _reader;
    private readonly FloodGate? _flood;

    /// <summary>Commands set aside while a reply waits behind queued mail; null until the first such reply.</summary>
    private PostponedInput? _postponed;

    /// <summary>Holds lines beyond the flood rate instead of dropping them (IRC), or null.</summary>
    private readonly FloodDelay? _floodDelay;
    private IdleTimer? _idle;

    /// <summary>The protocol's own clock (<see cref="IProtocolAdapter.TimerPeriod"/>), or null.</summary>
    private ITimer? _protocolTimer;

    /// <summary>How IRC shows this person; replaced once, before registration, by <see cref="IClientLink.SetUser"/>.</summary>
    private volatile PersonMask _mask;

    /// <summary>Away, operator, invisible: set on this loop, read by others' workers.</summary>
    private volatile PersonStatus _status = PersonStatus.Plain;

    /// <summary>What the rooms are told when this client leaves, once known (a quit's reason, "idle timeout", ...).</summary>
    private string? _leaveReason;

    /// <summary>The person quit: lines behind the quit are not said.</summary>
    private bool _quitting;

    /// <summary>Creates the worker for an accepted <paramref name="connection"/>, which it owns from now on.</summary>
    internal ClientWorker(
        Connection connection,
        ChatServices services,
        ClientOptions options,
        Func<Session, IClientLink, IProtocolAdapter> protocol,
        ILogger logger)
        : base(options.WorkerOptions)
    {
        _connection = connection;
        _options = options;
        _logger = logger;
        _session = new Session(this, services);
        _adapter = protocol(_session, this);
        _reader = new InputReader(connection, new InputDecoder(options.MaxLineBytes, options.TelnetBinary, options.KeepIrcCodes), ClientOptions.ReadAhead, this);
        _flood = FloodGate.Create(options.FloodBurst, options.FloodRate, options.FloodKick);
        _floodDelay = _flood is not null && options.DelayFloods
            ? new FloodDelay(_flood, options.FloodKick, options.TimeProvider, () => Tell(new ClientMessage.FloodRelease()))
            : null;
        _mask = new PersonMask(null, options.Cloak.For(connection.RemoteEndPoint));
    }

    /// <summary>The client's current nick.</summary>
    public string Nick => _session.Nick;

    /// <inheritdoc />
    IProcess IChatMember.Process => this;

    /// <inheritdoc />
    public PersonMask Mask => _mask;

    /// <inheritdoc />
    IChatMember ISessionOwner.Member => this;

    /// <inheritdoc />
    CancellationToken ISessionOwner.Stopping => Stopping;

    /// <inheritdoc />
    bool IClientLink.EnableFaultInjection => _options.EnableFaultInjection;

    /// <inheritdoc />
    public bool Deliver(ChatEvent chatEvent) => Tell(chatEvent) || MailboxRefused();

    /// <inheritdoc />
    public bool Deliver(RoomBatch batch) => Tell(batch) || MailboxRefused();

    /// <inheritdoc />
    public void RegisterAgain() => Tell(new ClientMessage.RegisterAgain());

    /// <inheritdoc />
    bool IInputTarget.Post(ClientMessage message) => Tell(message);

    /// <inheritdoc />
    MonitorRef ISessionOwner.MonitorRoom(Room room) => Monitor(room, static down => new ClientMessage.RoomDown(down));

    /// <inheritdoc />
    void ISessionOwner.MonitorPresence(Presence presence) => Monitor(presence, static _ => new ClientMessage.PresenceDown());

    /// <inheritdoc />
    void ISessionOwner.Demonitor(MonitorRef monitor) => Demonitor(monitor);

    /// <inheritdoc />
    void ISessionOwner.Tell(ChatEvent chatEvent) => WriteEvent(chatEvent);

    /// <inheritdoc />
    void IClientLink.Write(OutboundLine line) => Write(line);

    /// <inheritdoc />
    void IClientLink.WriteAfterQueued(OutboundLine line)
    {
        if (Tell(new ClientMessage.Deferred(line)))
        {
            (_postponed ??= new PostponedInput()).ReplyQueued();
        }
        else
        {
            Write(line);
        }
    }

    /// <inheritdoc />
    void IClientLink.Quit(string? reason)
    {
        _quitting = true;
        _leaveReason = reason;
        LeaveAfterQueued();
    }

    /// <inheritdoc />
    void IClientLink.Close(string reason)
    {
        _leaveReason = reason;
        LeaveAfterQueued();
    }

    /// <inheritdoc />
    void IClientLink.SetUser(string user, string realName) => _mask = _mask with { User = user, RealName = realName };

    /// <inheritdoc />
    PersonStatus IClientLink.Status
    {
        get => _status;
        set => _status = value;
    }

    /// <inheritdoc />
    string IClientLink.Host => _mask.Host;

    /// <inheritdoc />
    public PersonStatus Status => _status;

    /// <inheritdoc />
    void IClientLink.LogRenamed(string oldNick, string newNick) => ClientLog.Renamed(_logger, _connection.RemoteEndPoint, newNick, oldNick);

    /// <summary>Refuses a peer that speaks another protocol at once; otherwise registers after the start (<see cref="HandleContinueAsync"/>), so the acceptor never waits on presence or a room.</summary>
    protected override ValueTask InitAsync(CancellationToken cancellationToken)
    {
        Span<byte> head = stackalloc byte[16];
        if (ProtocolSniffer.Detect(head[.._connection.Peek(head)]) is { } protocol)
        {
            // Told in one line and closed, without a nick, a room or an announcement.
            RefuseProtocol(protocol);
            _connection.Output.Flush();
            return ValueTask.CompletedTask;
        }

        Continue();
        return ValueTask.CompletedTask;
    }

    /// <summary>Registers, greets and joins what the protocol joins, then starts reading and the idle timer.</summary>
    protected override async ValueTask HandleContinueAsync(CancellationToken cancellationToken)
    {
        await _adapter.StartAsync().ConfigureAwait(false);
        ClientLog.Connected(_logger, _connection.RemoteEndPoint, Nick);
        _connection.Output.Flush();
        _idle = IdleTimer.Start(TimeProvider, _options.IdleTimeout, () => Tell(new ClientMessage.IdleCheck()));
        if (_adapter.TimerPeriod > TimeSpan.Zero)
        {
            _protocolTimer = TimeProvider.CreateTimer(static self => ((ClientWorker)self!).Tell(new ClientMessage.ProtocolTimer()), this, _adapter.TimerPeriod, _adapter.TimerPeriod);
        }

        RunInBackground(_reader.RunAsync);
    }

    /// <inheritdoc />
    protected override async ValueTask HandleAsync(ClientMail mail, CancellationToken cancellationToken)
    {
        if (mail.Control is null)
        {
            if (mail.Batch is { } batch)
            {
                WriteOthers(batch);
            }
            else
            {
                WriteEvent(mail.Event!);
                if (mail.Event is ChatEvent.Kicked { ToTarget: true } kicked)
                {
                    // Kicked: the room has removed this person already; the session forgets it.
                    _session.OnKicked(kicked.Room);
                }
            }

            // Lines queued behind these go out in the same send (OnMailboxEmptyAsync), and so in few socket writes.
            if (_connection.Output.UnflushedBytes >= FlushThreshold)
            {
                _connection.Output.Flush();
            }

            return;
        }

        await HandleControlAsync(mail.Control).ConfigureAwait(false);
    }

    /// <summary>Everything written while the mailbox had mail goes out in one send.</summary>
    protected override ValueTask OnMailboxEmptyAsync(CancellationToken cancellationToken)
    {
        _connection.Output.Flush();
        return ValueTask.CompletedTask;
    }

    /// <summary>Leaves the rooms, tells the person why, sends what is queued (bounded) and closes the connection.</summary>
    protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        var why = _quitting ? _leaveReason : _leaveReason ?? reason.Kind switch
        {
            ExitKind.Shutdown when reason.Detail is null => "server shutting down",
            ExitKind.Shutdown => reason.Detail!.ToString()!,
            ExitKind.Normal => "connection closed",
            _ => "client error",
        };
        try
        {
            await _session.QuitAsync(why).ConfigureAwait(false);
            if (!_quitting && _leaveReason is null && reason == ExitReason.Shutdown)
            {
                Write(_adapter.Disconnected(DisconnectReason.ServerShutdown));
            }

            // A peer that does not read is closed without the rest.
            await _connection.Output.DrainAsync(_options.ShutdownFlushTimeout, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Killed meanwhile: the connection is closed by the kill.
        }
        finally
        {
            // Whatever happened above: the reader ends with the connection, and the stop waits for the reader.
            _idle?.Dispose();
            _protocolTimer?.Dispose();
            _flood?.Dispose();
            _floodDelay?.Dispose();
            _connection.Close();
        }

        if (reason.IsAbnormal)
        {
            ClientLog.Crashed(_logger, _connection.RemoteEndPoint, Nick, reason, reason.Exception);
        }
        else
        {
            ClientLog.Disconnected(_logger, _connection.RemoteEndPoint, Nick, why ?? "quit");
        }
    }

    /// <summary>A kill runs no stop callback: the connection must still be closed.</summary>
    protected override void OnKilled() => _connection.Close();

    /// <summary>
    /// Stops once the mail queued so far is handled: a pong owed for an earlier <c>/ping</c> is
    /// queued behind room lines in this mailbox, and a stop drops what is still queued.
    /// </summary>
    private void LeaveAfterQueued()
    {
        if (!Tell(new ClientMessage.Leave()))
        {
            // A full mailbox: leave now, without what is queued.
            Stop(ExitReason.Normal);
        }
    }

    private void RefuseProtocol(string protocol)
    {
        ClientLog.WrongProtocol(_logger, _connection.RemoteEndPoint, protocol);
        Write(_adapter.WrongProtocol(protocol));
        _leaveReason = $"not a chat client ({protocol})";
        Stop(ExitReason.Normal);
    }
}
