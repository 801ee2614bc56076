using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using ChatServer.Chat;
using ChatServer.Faults;
using ChatServer.Network;
using ChatServer.Protocol;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Supervision;

namespace ChatServer.Clients;

/// <summary>
/// One connected person. Owns its socket: a reader loop frames input lines and queues them to this
/// worker's own mailbox, never more than a small window ahead of the worker; a sender loop drains an
/// output pipe to the socket, so queued lines leave in few writes and the worker never waits on a
/// slow peer. The worker itself parses commands, talks to presence and rooms, and writes lines to
/// the pipe. It exits normally when the peer closes; rooms and presence learn of any exit through monitors.
/// </summary>
public sealed class ClientWorker : Worker<ClientMail>, IChatMember
{
    private static readonly ResiliencePipeline s_serviceRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ServiceUnavailableException>().Handle<ProcessExitedException>(),
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(20),
            MaxDelay = TimeSpan.FromMilliseconds(500),
            MaxRetryAttempts = 20,
        })
        .Build();

    // Never pauses the writer: the send queue limits bound it. One options instance for every pipe of every client.
    private static readonly PipeOptions s_unpausedPipe = new(BlockPool.Instance, pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: BlockPool.BlockSize, useSynchronizationContext: false);

    private readonly Socket _socket;
    private readonly EndPoint? _remote;
    private readonly ChatServices _services;
    private readonly ClientOptions _options;
    private readonly ILogger _logger;
    private readonly Pipe _output = new(s_unpausedPipe);
    private readonly TaskCompletionSource _sendLoopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _readWindow;
    private readonly TokenBucketRateLimiter? _flood;
    private readonly Dictionary<string, JoinedRoom> _rooms = new(RoomName.Comparer);
    private readonly HashSet<Room> _unsettled = [];
    private Room? _current;
    private string _nick = "?";
    private string? _leaveReason;
    private bool _quitting;
    private bool _outputClosed;
    private ITimer? _idleTimer;
    private long _lastInput;
    private int _floodStreak;

    private const int FlushThreshold = 16 * 1024;

    // Shared with the sender loop, hence Interlocked.
    private long _queuedBytes;
    private long _queuedLines;

    /// <summary>Creates the worker for an accepted <paramref name="socket"/>, which it owns from now on.</summary>
    public ClientWorker(Socket socket, ChatServices services, ClientOptions options, ILogger logger, TimeProvider timeProvider)
        : base(new WorkerOptions
        {
            Name = "client",
            TimeProvider = timeProvider,

            // Lines for this client wait here at most briefly; a full mailbox means the worker cannot keep up: see Deliver.
            Mailbox = MailboxOptions.Bounded(options.MaxSendQueueLines + options.ReadAhead + 16, MailboxFullMode.FailFast) with
            {
                // A room's fan-out writes straight into an idle recipient's pipe on the room's thread, as an event loop
                // would: no thread-pool hand-off per recipient. The handlers of lines never block.
                AllowSynchronousContinuations = true,
            },
        })
    {
        _socket = socket;
        _remote = socket.RemoteEndPoint;
        _services = services;
        _options = options;
        _logger = logger;
        _readWindow = new SemaphoreSlim(options.ReadAhead, options.ReadAhead);
        if (options.FloodRate > 0)
        {
            // Manual replenishment: the bucket refills by elapsed time when asked, so a connection costs no timer.
            _flood = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.FloodBurst,
                TokensPerPeriod = Math.Max(1, (int)Math.Round(options.FloodRate)),
                ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, Math.Round(options.FloodRate)) / options.FloodRate),
                AutoReplenishment = false,
                QueueLimit = 0,
            });
        }
    }

    /// <summary>The peer's address.</summary>
    public IPAddress? RemoteAddress => (_remote as IPEndPoint)?.Address;

    /// <summary>The client's current nick.</summary>
    public string Nick => _nick;

    /// <inheritdoc />
    IProcess IChatMember.Process => this;

    private sealed record JoinedRoom(Room Room, MonitorRef Monitor);

    /// <inheritdoc />
    public bool Deliver(OutboundLine line) => Tell(line) || MailboxRefused();

    /// <inheritdoc />
    public bool Deliver(RoomBatch batch) => Tell(batch) || MailboxRefused();

    private bool MailboxRefused()
    {
        if (!HasExited && !IsStopRequested)
        {
            // The mailbox is full: this client's worker cannot keep up. Cut it off rather than lose a line or
            // slow the sender. (Called on the sender's thread: only thread-safe members are used here.)
            ClientLog.SendQueueExceeded(_logger, _remote, _nick, Interlocked.Read(ref _queuedBytes), MailboxCount);
            Stop(ExitReason.ShutdownWith("send queue exceeded"));
        }

        return false;
    }

    /// <summary>Registers a guest nick, joins <c>#lobby</c>, greets, then starts the socket loops.</summary>
    protected override async ValueTask InitAsync(CancellationToken cancellationToken)
    {
        // A kill runs no stop callback: the socket must still be closed.
        Killed.Register(static state => ((Socket)state!).Dispose(), _socket);
        _socket.NoDelay = true;

        // Keepalive finds a peer that vanished without a FIN after about 60 + 5 × 10 s of silence.
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        _socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 60);
        _socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
        _socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 5);

        if (SniffOtherProtocol() is { } protocol)
        {
            // Told in one line and closed, without a nick, a room or an announcement.
            RefuseProtocol(protocol);
            await FlushAsync().ConfigureAwait(false);
            RunInBackground(SendLoopAsync);
            return;
        }

        await RegisterAsync().ConfigureAwait(false);
        ClientLog.Connected(_logger, _remote, _nick);
        Write(ServerLines.Notice($"welcome to SupervisedChat, you are {_nick}"));
        var others = await JoinAsync(RoomName.Lobby).ConfigureAwait(false);
        Write(ServerLines.Notice($"you are in {RoomName.Lobby} with {others} {(others == 1 ? "other" : "others")}"));
        Write(ServerLines.Notice("type /help for commands"));
        await FlushAsync().ConfigureAwait(false);

        _lastInput = TimeProvider.GetTimestamp();
        if (_options.IdleTimeout > TimeSpan.Zero)
        {
            _idleTimer = TimeProvider.CreateTimer(static state => ((ClientWorker)state!).Tell(new ClientMessage.IdleCheck()), this, _options.IdleTimeout, Timeout.InfiniteTimeSpan);
        }

        RunInBackground(SendLoopAsync);
        RunInBackground(ReadLoopAsync);
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
                Write(mail.Line!);
            }

            // Lines queued behind these go out in the same flush (OnMailboxEmptyAsync), and so in few socket writes.
            if (_output.Writer.UnflushedBytes >= FlushThreshold)
            {
                await FlushAsync().ConfigureAwait(false);
            }

            return;
        }

        // A command may wait on another worker: what is written so far goes out first.
        await FlushAsync().ConfigureAwait(false);
        switch (mail.Control)
        {
            case ClientMessage.LineReceived line:
                try
                {
                    _lastInput = TimeProvider.GetTimestamp();
                    var command = CommandParser.Parse(line.Text);
                    // Lines that came in behind /quit are not said.
                    if (!_quitting && (command is Command.Empty || AdmitLine()))
                    {
                        await ExecuteAsync(command).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _readWindow.Release();
                }

                break;
            case ClientMessage.LineTooLong:
                _readWindow.Release();
                _lastInput = TimeProvider.GetTimestamp();
                if (AdmitLine())
                {
                    ClientLog.LineTooLong(_logger, _remote, _nick, _options.MaxLineBytes);
                    Write(ServerLines.Error($"line too long (over {_options.MaxLineBytes} bytes), dropped"));
                }

                break;
            case ClientMessage.TelnetReply reply:
                WriteRaw(reply.Bytes);
                break;
            case ClientMessage.WrongProtocol wrong:
                RefuseProtocol(wrong.Protocol);
                break;
            case ClientMessage.IdleCheck:
                CheckIdle();
                break;
            case ClientMessage.PeerClosed:
                _leaveReason ??= "connection closed";
                LeaveAfterQueued();
                break;
            case ClientMessage.Leave:
                if (_quitting)
                {
                    Write(ServerLines.Notice("bye"));
                }

                Stop(ExitReason.Normal);
                break;
            case ClientMessage.RoomDown down:
                await OnRoomDownAsync(down.Down).ConfigureAwait(false);
                break;
            case ClientMessage.PresenceDown:
                await RegisterAsync().ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Everything written while the mailbox had mail goes out in one flush.</summary>
    protected override ValueTask OnMailboxEmptyAsync(CancellationToken cancellationToken) => FlushAsync();

    /// <summary>Leaves the rooms, tells the person why, flushes what is queued (bounded) and closes the socket.</summary>
    protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await SettleAsync(null).ConfigureAwait(false);
        }
        catch (CallTimeoutException)
        {
            // A room too slow to settle: the quit may overtake a line there; leaving matters more.
        }

        var why = _quitting ? _leaveReason : _leaveReason ?? reason.Kind switch
        {
            ExitKind.Shutdown when reason.Detail is null => "server shutting down",
            ExitKind.Shutdown => reason.Detail!.ToString()!,
            ExitKind.Normal => "connection closed",
            _ => "client error",
        };
        foreach (var joined in _rooms.Values)
        {
            joined.Room.Quit(this, _nick, why);
        }

        if (!_quitting && _leaveReason is null && reason == ExitReason.Shutdown)
        {
            Write(ServerLines.Notice(why!));
        }

        _idleTimer?.Dispose();
        _flood?.Dispose();
        _outputClosed = true;
        await _output.Writer.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _sendLoopDone.Task.WaitAsync(_options.ShutdownFlushTimeout, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer does not read: close without the rest.
        }
        catch (OperationCanceledException)
        {
            // Killed meanwhile: the socket is closed by the kill.
        }

        CloseSocket();
        if (reason.IsAbnormal)
        {
            ClientLog.Crashed(_logger, _remote, _nick, reason, reason.Exception);
        }
        else
        {
            ClientLog.Disconnected(_logger, _remote, _nick, why ?? "quit");
        }
    }

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

    /// <summary>Flood control: a token bucket per client; excess lines are dropped with a warning, and a client that keeps on is cut off.</summary>
    private bool AdmitLine()
    {
        if (_flood is null)
        {
            return true;
        }

        _flood.TryReplenish();
        using var lease = _flood.AttemptAcquire();
        if (lease.IsAcquired)
        {
            _floodStreak = 0;
            return true;
        }

        if (++_floodStreak >= _options.FloodKick)
        {
            ClientLog.Flooding(_logger, _remote, _nick, _floodStreak);
            Write(ServerLines.Error("disconnected for flooding"));
            _leaveReason = "flooding";
            Stop(ExitReason.ShutdownWith("flooding"));
        }
        else if (_floodStreak == 1)
        {
            ClientLog.SlowDown(_logger, _remote, _nick);
            Write(ServerLines.Error("slow down"));
        }
        else
        {
            Write(ServerLines.Error("slow down"));
        }

        return false;
    }

    private void CheckIdle()
    {
        var idle = TimeProvider.GetElapsedTime(_lastInput);
        if (idle < _options.IdleTimeout)
        {
            _idleTimer?.Change(_options.IdleTimeout - idle, Timeout.InfiniteTimeSpan);
            return;
        }

        ClientLog.IdleTimeout(_logger, _remote, _nick, _options.IdleTimeout);
        Write(ServerLines.Error($"disconnected after {_options.IdleTimeout.TotalSeconds:0} s without input"));
        _leaveReason = "idle timeout";
        Stop(ExitReason.ShutdownWith("idle timeout"));
    }

    private async Task ExecuteAsync(Command command)
    {
        try
        {
            // Order across rooms: before anything goes anywhere but the room spoken to last, the rooms
            // spoken to earlier have delivered, so a recipient in several rooms sees this client's lines in order.
            await SettleAsync(command is Command.Say or Command.Action ? _current : null).ConfigureAwait(false);
            switch (command)
            {
                case Command.Say say:
                    Publish(say.Text, isAction: false);
                    break;
                case Command.Action action:
                    Publish(action.Text, isAction: true);
                    break;
                case Command.Nick nick:
                    await ChangeNickAsync(nick.Name).ConfigureAwait(false);
                    break;
                case Command.Join join:
                    await JoinCommandAsync(join.Room).ConfigureAwait(false);
                    break;
                case Command.Part part:
                    await PartAsync(part.Room).ConfigureAwait(false);
                    break;
                case Command.Rooms:
                    await ListRoomsAsync().ConfigureAwait(false);
                    break;
                case Command.Who who:
                    await WhoAsync(who.Room).ConfigureAwait(false);
                    break;
                case Command.PrivateMessage pm:
                    await SendPrivateMessageAsync(pm.Target, pm.Text).ConfigureAwait(false);
                    break;
                case Command.Ping ping:
                    await PongAsync(ping.Token).ConfigureAwait(false);
                    break;
                case Command.Quit quit:
                    _quitting = true;
                    _leaveReason = quit.Reason;
                    LeaveAfterQueued();
                    break;
                case Command.Help:
                    foreach (var line in ServerLines.HelpText)
                    {
                        Write(OutboundLine.From(line));
                    }

                    break;
                case Command.Crash when _options.EnableFaultInjection:
                    throw new InjectedFaultException("client crashed on request (/crash, fault injection on)");
                case Command.Crash:
                    Write(ServerLines.Error("unknown command /crash; type /help for commands"));
                    break;
                case Command.Invalid invalid:
                    Write(ServerLines.Error(invalid.Message));
                    break;
            }
        }
        catch (Exception exception) when (exception is ServiceUnavailableException or ProcessExitedException or CallTimeoutException
                                              or SupervisorException or ChildStartException)
        {
            // A service restarting or overloaded costs this one command, not the connection.
            Write(ServerLines.Error("the server is busy, try again"));
        }
    }

    private void Publish(string text, bool isAction)
    {
        if (_current is null)
        {
            Write(ServerLines.Error("you are in no room; /join #room first"));
            return;
        }

        _current.Publish(this, text, isAction);
        _unsettled.Add(_current);
    }

    /// <summary>
    /// The pong is a barrier: every room this client spoke to has delivered (settled above), and the
    /// current room has handled what it had queued, so its earlier lines for this client are already
    /// in this mailbox; the pong is queued behind them. A room that dies meanwhile cannot lose it.
    /// </summary>
    private async Task PongAsync(string token)
    {
        if (_current is not null)
        {
            try
            {
                await _current.BarrierAsync().ConfigureAwait(false);
            }
            catch (ProcessExitedException)
            {
                // The room died: it has nothing more to deliver.
            }
        }

        var pong = ServerLines.Notice($"pong {token}".TrimEnd());
        if (!Tell(pong))
        {
            Write(pong);
        }
    }

    /// <summary>Waits until every room this client told something, except <paramref name="keep"/>, has handled it.</summary>
    private async Task SettleAsync(Room? keep)
    {
        if (_unsettled.Count == 0 || (_unsettled.Count == 1 && keep is not null && _unsettled.Contains(keep)))
        {
            return;
        }

        foreach (var room in _unsettled.ToList())
        {
            if (ReferenceEquals(room, keep))
            {
                continue;
            }

            _unsettled.Remove(room);
            try
            {
                await room.BarrierAsync().ConfigureAwait(false);
            }
            catch (ProcessExitedException)
            {
                // A room that is gone has nothing left to deliver.
            }
        }
    }

    private async Task ChangeNickAsync(string nick)
    {
        var presence = _services.Presence ?? throw new ServiceUnavailableException();
        switch (await presence.RenameAsync(this, nick).ConfigureAwait(false))
        {
            case NickChange.Unchanged:
                Write(ServerLines.Notice($"you are already {nick}"));
                break;
            case NickChange.Taken:
                Write(ServerLines.Error($"nick {nick} is taken"));
                break;
            default:
                var old = _nick;
                _nick = nick;
                foreach (var joined in _rooms.Values)
                {
                    joined.Room.Rename(this, nick);
                    _unsettled.Add(joined.Room);
                }

                ClientLog.Renamed(_logger, _remote, nick, old);
                Write(ServerLines.Notice($"you are now known as {nick}"));
                break;
        }
    }

    private async Task JoinCommandAsync(string name)
    {
        if (_rooms.TryGetValue(name, out var joined))
        {
            _current = joined.Room;
            Write(ServerLines.Notice($"{joined.Room.Name} is now your current room"));
            return;
        }

        var others = await JoinAsync(name).ConfigureAwait(false);
        Write(ServerLines.Notice($"you joined {_current!.Name} ({others} {(others == 1 ? "other" : "others")} here)"));
    }

    /// <summary>Joins <paramref name="name"/> (created if needed) and makes it current; returns how many others are there.</summary>
    private async Task<int> JoinAsync(string name)
    {
        return await s_serviceRetry.ExecuteAsync(
            async _ =>
            {
                // A room that empties and stops just as we join is simply opened again.
                var room = await (_services.Rooms ?? throw new ServiceUnavailableException()).OpenAsync(name).ConfigureAwait(false);
                var others = await room.JoinAsync(this, _nick).ConfigureAwait(false);
                _rooms[room.Name] = new JoinedRoom(room, Monitor(room, down => new ClientMessage.RoomDown(down)));
                _current = room;
                return others;
            },
            Stopping).ConfigureAwait(false);
    }

    private async Task PartAsync(string? name)
    {
        var room = name is null ? _current : _rooms.GetValueOrDefault(name)?.Room;
        if (room is null)
        {
            Write(ServerLines.Error(name is null ? "you are in no room" : $"you are not in {name}"));
            return;
        }

        Forget(room);
        try
        {
            await room.PartAsync(this, _nick, reason: null).ConfigureAwait(false);
        }
        catch (ProcessExitedException)
        {
            // The room is gone already: leaving it is done.
        }

        Write(ServerLines.Notice($"you left {room.Name}"));
        Write(_current is null
            ? ServerLines.Notice("you are in no room; /join #room to talk")
            : ServerLines.Notice($"your current room is {_current.Name}"));
    }

    private void Forget(Room room)
    {
        if (_rooms.Remove(room.Name, out var joined))
        {
            Demonitor(joined.Monitor);
        }

        _unsettled.Remove(room);

        if (ReferenceEquals(_current, room))
        {
            _current = _rooms.Values.Select(r => r.Room).FirstOrDefault();
        }
    }

    private async Task OnRoomDownAsync(ProcessDown down)
    {
        if (!_rooms.TryGetValue(down.Process.Name, out var joined) || !ReferenceEquals(joined.Room, down.Process))
        {
            return;
        }

        var wasCurrent = ReferenceEquals(_current, joined.Room);
        var current = _current;
        Forget(joined.Room);
        Write(ServerLines.Notice($"{joined.Room.Name} stopped after a fault and its history is lost; joining it anew"));
        try
        {
            await JoinAsync(joined.Room.Name).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ServiceUnavailableException or ProcessExitedException or CallTimeoutException
                                              or SupervisorException or ChildStartException)
        {
            Write(ServerLines.Error($"could not join {joined.Room.Name} again; /join {joined.Room.Name} to try later"));
        }

        if (!wasCurrent)
        {
            _current = current;
        }
    }

    private async Task ListRoomsAsync()
    {
        var directory = _services.Rooms ?? throw new ServiceUnavailableException();
        var lines = new List<string>();
        foreach (var room in await directory.ListAsync().ConfigureAwait(false))
        {
            try
            {
                var members = await room.WhoAsync().ConfigureAwait(false);
                lines.Add($"{room.Name} ({members.Count})");
            }
            catch (ProcessExitedException)
            {
                // Stopped while listing: not a room any more.
            }
        }

        Write(ServerLines.Notice($"rooms: {string.Join(", ", lines)}"));
    }

    private async Task WhoAsync(string? name)
    {
        Room? room;
        if (name is null)
        {
            room = _current;
        }
        else
        {
            room = _rooms.GetValueOrDefault(name)?.Room
                ?? await (_services.Rooms ?? throw new ServiceUnavailableException()).FindAsync(name).ConfigureAwait(false);
        }

        if (room is null)
        {
            Write(ServerLines.Error(name is null ? "you are in no room" : $"no such room {name}"));
            return;
        }

        var members = await room.WhoAsync().ConfigureAwait(false);
        Write(ServerLines.Notice($"members of {room.Name} ({members.Count}): {string.Join(", ", members)}".TrimEnd()));
    }

    private async Task SendPrivateMessageAsync(string nick, string text)
    {
        var presence = _services.Presence ?? throw new ServiceUnavailableException();
        var target = await presence.FindAsync(nick).ConfigureAwait(false);
        if (target is null || !target.Deliver(ServerLines.PrivateMessage(_nick, text)))
        {
            Write(ServerLines.Error($"no such nick {nick}"));
        }
    }

    /// <summary>Registers with the (possibly new) nick registry, keeping the current nick when it is still free.</summary>
    private async Task RegisterAsync()
    {
        var wanted = _nick == "?" ? null : _nick;
        var (presence, nick) = await s_serviceRetry.ExecuteAsync(
            async _ =>
            {
                var presence = _services.Presence ?? throw new ServiceUnavailableException();
                return (presence, await presence.RegisterAsync(this, wanted).ConfigureAwait(false));
            },
            Stopping).ConfigureAwait(false);
        Monitor(presence, down => new ClientMessage.PresenceDown(down));
        if (wanted is not null && nick != wanted)
        {
            _nick = nick;
            foreach (var joined in _rooms.Values)
            {
                joined.Room.Rename(this, nick);
            }

            Write(ServerLines.Notice($"the nick registry restarted and {wanted} was taken; you are now known as {nick}"));
        }

        _nick = nick;
    }

    private void WriteOthers(RoomBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch.SenderAt(i) != Id)
            {
                Write(batch.LineAt(i));
            }
        }
    }

    private void Write(OutboundLine line)
    {
        if (_outputClosed)
        {
            return;
        }

        WriteQueued(line.Bytes.Span, lines: 1);
    }

    /// <summary>Bytes that are not a line (telnet answers): counted as bytes, not as lines.</summary>
    private void WriteRaw(byte[] bytes)
    {
        if (!_outputClosed)
        {
            WriteQueued(bytes, lines: 0);
        }
    }

    private void WriteQueued(ReadOnlySpan<byte> bytes, int lines)
    {
        var queuedBytes = Interlocked.Add(ref _queuedBytes, bytes.Length);
        var queuedLines = Interlocked.Add(ref _queuedLines, lines);
        if (queuedBytes > _options.MaxSendQueueBytes || queuedLines > _options.MaxSendQueueLines)
        {
            // Like IRC's sendq: a client that does not read is cut off, and nobody else waits for it.
            ClientLog.SendQueueExceeded(_logger, _remote, _nick, queuedBytes, queuedLines);
            _leaveReason = "send queue exceeded";
            _outputClosed = true;
            Stop(ExitReason.ShutdownWith("send queue exceeded"));
            return;
        }

        _output.Writer.Write(bytes);
    }

    /// <summary>Peeks at bytes that arrived with the connection: a TLS or HTTP client usually speaks first.</summary>
    private string? SniffOtherProtocol()
    {
        try
        {
            if (_socket.Available == 0)
            {
                return null;
            }

            Span<byte> head = stackalloc byte[16];
            var received = _socket.Receive(head, SocketFlags.Peek);
            return ProtocolSniffer.Detect(head[..received]);
        }
        catch (SocketException)
        {
            // Reset already: the reader will see the close.
            return null;
        }
    }

    private void RefuseProtocol(string protocol)
    {
        ClientLog.WrongProtocol(_logger, _remote, protocol);
        Write(ServerLines.Error($"this port speaks the SupervisedChat line protocol, not {protocol}; connect with nc or telnet"));
        _leaveReason = $"not a chat client ({protocol})";
        Stop(ExitReason.Normal);
    }

    private async ValueTask FlushAsync()
    {
        if (!_outputClosed && _output.Writer.UnflushedBytes > 0)
        {
            // Never blocks: the output pipe has no pause threshold; the send queue limit bounds it.
            await _output.Writer.FlushAsync().ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync(CancellationToken stopping)
    {
        var reader = _output.Reader;
        try
        {
            // Not cancelled by stopping: a stop first flushes what is queued, then completes the pipe.
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await _socket.SendAsync(segment, SocketFlags.None).ConfigureAwait(false);
                }

                Interlocked.Add(ref _queuedBytes, -buffer.Length);
                Interlocked.Add(ref _queuedLines, -CountLines(buffer));
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // The peer is gone; the reader sees it too and ends the worker.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            _sendLoopDone.TrySetResult();
        }
    }

    private static long CountLines(in ReadOnlySequence<byte> buffer)
    {
        long lines = 0;
        foreach (var segment in buffer)
        {
            lines += segment.Span.Count((byte)'\n');
        }

        return lines;
    }

    /// <summary>
    /// Socket → telnet filter → line framer → decode and sanitise → this worker's mailbox, never more
    /// than the read-ahead window in front of the worker. A TLS handshake or an HTTP request line at
    /// the start of the connection is reported instead of being taken as chat.
    /// </summary>
    private async Task ReadLoopAsync(CancellationToken stopping)
    {
        var framer = new LineFramer(_options.MaxLineBytes);
        var telnet = new TelnetFilter(_options.TelnetBinary);
        var clean = new Pipe(s_unpausedPipe);
        var replies = new ArrayBufferWriter<byte>(16);
        var firstRead = true;
        var firstLine = true;
        NetworkStream stream;
        try
        {
            stream = new NetworkStream(_socket, ownsSocket: false);
        }
        catch (IOException)
        {
            // The peer reset the connection before the loop started: a close, not a crash.
            Tell(new ClientMessage.PeerClosed());
            return;
        }

        var input = PipeReader.Create(
            stream,
            new StreamPipeReaderOptions(BlockPool.Instance, bufferSize: BlockPool.BlockSize, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        using var cancelRead = stopping.Register(static state => ((PipeReader)state!).CancelPendingRead(), input);
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync().ConfigureAwait(false);
                }
                catch (IOException)
                {
                    break;
                }

                if (result.IsCanceled)
                {
                    // Stopping: a cancelled read, not an exception, on every normal close.
                    return;
                }

                var raw = result.Buffer;
                if (firstRead && !raw.IsEmpty)
                {
                    // A TLS client whose handshake arrived after the greeting.
                    firstRead = false;
                    if (ProtocolSniffer.Detect(raw.FirstSpan) == "TLS")
                    {
                        Tell(new ClientMessage.WrongProtocol("TLS"));
                        return;
                    }
                }

                foreach (var segment in raw)
                {
                    telnet.Filter(segment.Span, clean.Writer, replies);
                }

                input.AdvanceTo(raw.End);
                if (replies.WrittenCount > 0)
                {
                    Tell(new ClientMessage.TelnetReply(replies.WrittenSpan.ToArray()));
                    replies.ResetWrittenCount();
                }

                await clean.Writer.FlushAsync(stopping).ConfigureAwait(false);
                if (clean.Reader.TryRead(out var cleaned))
                {
                    var buffer = cleaned.Buffer;
                    while (true)
                    {
                        var frame = framer.TryRead(ref buffer, out var line);
                        if (frame == FrameResult.NeedMore)
                        {
                            break;
                        }

                        ClientMessage message = frame == FrameResult.Line
                            ? new ClientMessage.LineReceived(TextSanitizer.Decode(line))
                            : new ClientMessage.LineTooLong();
                        if (firstLine && message is ClientMessage.LineReceived { Text: var text } && ProtocolSniffer.IsHttpRequestLine(text))
                        {
                            Tell(new ClientMessage.WrongProtocol("HTTP"));
                            return;
                        }

                        firstLine = false;
                        await _readWindow.WaitAsync(stopping).ConfigureAwait(false);
                        Tell(message);
                    }

                    clean.Reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            await clean.Writer.CompleteAsync().ConfigureAwait(false);
            await clean.Reader.CompleteAsync().ConfigureAwait(false);
        }

        Tell(new ClientMessage.PeerClosed());
    }

    private void CloseSocket()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer or a kill.
        }

        _socket.Dispose();
    }
}
