using System.Globalization;
using LoadGen.Net;
using LoadGen.Reporting;

namespace LoadGen.Scenarios;

/// <summary>
/// <c>fanout</c>: C members in one room; each reading member sends M payloads
/// <c>B sender seq t_ns</c>, closed loop (--window in flight per sender) or at a fixed total
/// --rate, and every reading member counts what it gets from the others: lost, duplicated, out of
/// order, latency. With --slow-readers F, the last round(F*C) members register and then never
/// read or send: throughput and loss are over the reading members only, and the report says how
/// many slow readers the server disconnected. With --senders N only the first N members send (and
/// count nothing), the other reading members only receive; with --ports the members spread over
/// several servers (<see cref="Options.EndPointOf"/>).
/// </summary>
internal sealed class FanoutScenario : Scenario
{
    // Big enough that a busy member drains its socket in few reads.
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly FanoutRoom _room;
    private readonly LineConnection?[] _connections;
    private readonly FanoutReceiver[] _receivers;
    private readonly FanoutSender[] _senders;
    private readonly Launcher _launcher;
    private FanoutPacer? _pacer;
    private Histogram _latency = new();
    private long _ready;
    private long _failed;
    private long _dropped;
    private long _slowDisconnected = -1;
    private volatile bool _finished;

    public FanoutScenario(Options options)
        : base(options)
    {
        _room = new FanoutRoom(options, Stats);
        _connections = new LineConnection?[options.Clients];
        _receivers = new FanoutReceiver[options.Clients];
        _senders = new FanoutSender[_room.SenderCount];
        _launcher = new Launcher(options.Clients, options.Par, Launch);
        for (var id = 0; id < options.Clients; id++)
        {
            _receivers[id] = new FanoutReceiver(_room, id, OnRegistered);
            var connection = new LineConnection(id, Naming.Nick('f', id), NewReceiveBuffer(ReceiveBufferSize), _receivers[id], Stats, options.QuickAck, options.EndPoint.AddressFamily);
            _connections[id] = connection;
            if (id < _room.SenderCount)
            {
                _senders[id] = new FanoutSender(_room, id, connection);
                _room.Senders[id] = _senders[id];
            }
        }
    }

    protected override void Execute()
    {
        using (var sweeper = new Sweeper(_connections, Stats))
        {
            if (SetUp() && SleepUntil(Clock.NowNs() + Clock.FromSeconds(Options.Settle)))
            {
                RunMessages();
            }
        }

        _pacer?.Stop();
        EndMeasuredPhase();
        _slowDisconnected = CountDisconnectedSlowReaders();
        // Payloads that still arrive (after a timeout or stall) no longer touch the histograms
        // being merged. As loadgen.c does, the connections stay open until the process exits.
        _room.Running = false;
        _finished = true;
        _launcher.Stop();
        _latency = _room.Latency.Merge();
        _room.Dispose();
    }

    protected override string Describe(Summary summary)
    {
        long msgs = _room.Msgs;
        long readers = _room.Readers;
        long perMessage = _room.DeliveriesPerMessage;
        var sent = _senders.Sum(s => (long)s.Sent);
        var received = _receivers.Sum(r => r.Received);
        var expected = msgs * _room.SenderCount * perMessage;
        var expectedForSent = sent * perMessage;
        var firstSend = _senders.Select(s => s.FirstSendNs).Where(t => t > 0).DefaultIfEmpty(0).Min();
        var lastSend = _senders.Max(s => s.LastSendNs);
        var lastReceive = _receivers.Max(r => r.LastReceiveNs);
        var span = lastReceive > firstSend && firstSend > 0 ? lastReceive - firstSend : 0;
        var sendSpan = lastSend > firstSend && firstSend > 0 ? lastSend - firstSend : 0;
        var latency = _latency;
        summary.Add("clients", Options.Clients, "members");
        summary.Add("msgs", Options.Msgs, "messages per sender");
        summary.Add("window", Options.Window, "window per sender");
        summary.Add("rate", Options.Rate, 0, "rate (msgs/s, 0 = closed loop)");
        summary.Add("pad", Options.Pad);
        summary.Add("quickack", Options.QuickAck ? 1 : 0);
        summary.Add("slow_readers", _room.SlowReaders, "slow readers (never read)");
        summary.Add("readers", readers, "reading members");
        summary.Add("senders", _room.SenderCount, "senders");
        summary.Add("receivers", _room.Receivers, "members counting what they receive");
        summary.Add("slow_readers_disconnected", _slowDisconnected, "slow readers disconnected by the server");
        summary.Add("setup_failed", Interlocked.Read(ref _failed), "setup failed");
        summary.Add("sent", sent, "sent");
        summary.Add("expected", expected, "expected deliveries");
        summary.Add("received", received, "received");
        summary.Add("lost", Math.Max(0, expectedForSent - received), "lost");
        summary.Add("unsent", (_room.SenderCount * msgs) - sent, "unsent");
        summary.Add("dup", _receivers.Sum(r => r.Duplicates), "duplicated");
        summary.Add("ooo", _receivers.Sum(r => r.OutOfOrder), "out of order");
        summary.Add("self_echo", _receivers.Sum(r => r.SelfEcho), "own messages echoed");
        summary.Add("bad_payload", _receivers.Sum(r => r.BadPayload), "bad payloads");
        summary.Add("dropped", Interlocked.Read(ref _dropped), "reading members dropped");
        summary.Add("run_s", Clock.ToSeconds(span), 3, "first send to last receive (s)");
        summary.Add("send_s", Clock.ToSeconds(sendSpan), 3, "first send to last send (s)");
        summary.Add("deliveries_per_s", span > 0 ? received / Clock.ToSeconds(span) : 0, 0, "deliveries per s");
        summary.Add("msgs_per_s", span > 0 ? sent / Clock.ToSeconds(span) : 0, 0, "messages sent per s");
        summary.Add("lat_p50_us", Us(latency.Percentile(0.5)), 1, "latency p50 (us)");
        summary.Add("lat_p90_us", Us(latency.Percentile(0.9)), 1, "latency p90 (us)");
        summary.Add("lat_p99_us", Us(latency.Percentile(0.99)), 1, "latency p99 (us)");
        summary.Add("lat_p999_us", Us(latency.Percentile(0.999)), 1, "latency p99.9 (us)");
        summary.Add("lat_max_us", Us(latency.Max), 1, "latency max (us)");
        summary.Add("lat_mean_us", Us((long)latency.Mean), 1, "latency mean (us)");
        summary.Add("max_send_lag_us", Us(_pacer?.MaxLagNs ?? 0), 0, "most a send was late (us)");
        var mode = Options.Rate > 0 ? string.Create(CultureInfo.InvariantCulture, $"rate={Options.Rate}") : $"window={Options.Window}";
        var senders = _room.SendOnly ? string.Create(CultureInfo.InvariantCulture, $" senders={_room.SenderCount}") : "";
        return string.Create(CultureInfo.InvariantCulture, $"fanout line C={Options.Clients} M={Options.Msgs} {mode} slow-readers={_room.SlowReaders}{senders}");
    }

    // Phase 0: every member connected, registered and in the room.
    private bool SetUp()
    {
        _launcher.Start();
        if (!_launcher.WaitAllSettled(DeadlineNs))
        {
            End = "setup-timeout";
            return false;
        }

        if (Interlocked.Read(ref _ready) < Options.Clients)
        {
            End = "setup-failed";
            return false;
        }

        return true;
    }

    // Phase 2: send, and wait until every message sent reached every other reader (or no progress for --idle).
    private void RunMessages()
    {
        Stats.ResetOtherLines();
        _room.Running = true;
        StartMeasuredPhase();
        var now = Clock.NowNs();
        if (Options.Rate > 0)
        {
            _pacer = new FanoutPacer(_senders, Options.Rate, Options.Pad, _room.Eol.Length);
            _pacer.Start(now);
        }
        else
        {
            // Every sender's first window (with --window 0, all its messages); receivers do the rest.
            var scratch = new byte[FanoutSender.ScratchSize(Options.Pad, _room.Eol.Length)];
            foreach (var sender in _senders)
            {
                sender.PumpWindow(scratch, initial: true);
            }
        }

        var idleNs = Clock.FromSeconds(Options.Idle);
        long lastProgress = -1;
        var lastProgressNs = now;
        while (true)
        {
            // The end time of the run is the last delivery's own timestamp, so polling does not blur it.
            Thread.Sleep(5);
            now = Clock.NowNs();
            if (now > DeadlineNs)
            {
                End = "timeout";
                return;
            }

            var (allSent, sent, received) = Progress();
            if (allSent && received >= sent * _room.DeliveriesPerMessage)
            {
                return;
            }

            if (sent + received != lastProgress)
            {
                lastProgress = sent + received;
                lastProgressNs = now;
            }
            else if (now - lastProgressNs > idleNs)
            {
                End = allSent ? "stalled-after-send" : "stalled";
                return;
            }
        }
    }

    // Loops, not LINQ: this runs every 5 ms for the whole run.
    private (bool AllSent, long Sent, long Received) Progress()
    {
        var allSent = true;
        long sent = 0;
        foreach (var sender in _senders)
        {
            var count = sender.Sent;
            sent += count;
            allSent &= count >= _room.Msgs || !sender.CanSend;
        }

        long received = 0;
        foreach (var receiver in _receivers)
        {
            received += receiver.Received;
        }

        return (allSent, sent, received);
    }

    // A slow reader's socket was never read after registration: read it out now to see whether the
    // server closed it meanwhile (queue overflow) or it is still open.
    private long CountDisconnectedSlowReaders()
    {
        if (_room.SlowReaders == 0)
        {
            return 0;
        }

        var deadline = Math.Min(DeadlineNs + Clock.FromSeconds(5), Clock.NowNs() + Clock.FromSeconds(5));
        long disconnected = 0;
        for (var id = _room.Readers; id < Options.Clients; id++)
        {
            var connection = _connections[id]!;
            if (connection.State == ConnState.Ready && connection.DrainFindsClosed(deadline))
            {
                disconnected++;
            }
        }

        return disconnected;
    }

    private void Launch(int id)
    {
        var connection = _connections[id]!;
        _ = RunAsync(connection, Registration(connection.Nick, Options.Room));
    }

    private void OnRegistered(LineConnection connection, long nowNs)
    {
        CountRegistration(connection, nowNs);
        if (connection.Id >= _room.Readers)
        {
            connection.StopReading = true;
        }

        Interlocked.Increment(ref _ready);
        _launcher.Settled();
    }

    private async Task RunAsync(LineConnection connection, byte[] registration)
    {
        var reason = await connection.RunAsync(Options.EndPointOf(connection.Id), registration, RegisterTimeoutNs).ConfigureAwait(false);
        if (reason is null || _finished)
        {
            return; // a slow reader (registered and no longer reading), or closed by our own end
        }

        var state = connection.State;
        if (state is ConnState.Connecting or ConnState.Registering)
        {
            Interlocked.Increment(ref _failed);
            Stats.CountReason(reason.Value);
            LogLost(connection, state, reason.Value);
            _launcher.Settled();
        }
        else
        {
            Interlocked.Increment(ref _dropped);
            Stats.CountReason(reason.Value);
            LogLost(connection, state, reason.Value);
        }
    }
}
