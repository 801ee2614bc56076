using System.Globalization;
using LoadGen.Net;
using LoadGen.Reporting;

namespace LoadGen.Scenarios;

/// <summary>
/// <c>conns</c>: opens N connections (at most --par registering at once), each registered and in a
/// room of --room-size, holds them idle for --hold seconds, then checks that every one answers a
/// /ping. With --pid, the server's VmRSS before and during the hold gives KiB per connection.
/// </summary>
internal sealed class ConnsScenario : Scenario
{
    // Idle connections receive little (join notices): a small buffer keeps 10,000 of them cheap.
    private const int ReceiveBufferSize = 4096;

    private readonly LineConnection?[] _connections;
    private readonly int[] _alive;
    private readonly Launcher _launcher;
    private readonly Handler _handler;
    private long _ready;
    private long _failed;
    private long _dropped;
    private long _aliveCount;
    private long _connectedNs;
    private long _rssBefore;
    private long _rssAfter = -1;
    private long _rssEnd = -1;
    private volatile bool _finished;

    public ConnsScenario(Options options)
        : base(options)
    {
        _connections = new LineConnection?[options.Conns];
        _alive = new int[options.Conns];
        _launcher = new Launcher(options.Conns, options.Par, Launch);
        _handler = new Handler(this);
    }

    protected override void Execute()
    {
        _rssBefore = ProcStats.RssKib(Options.ServerPid);
        using (var sweeper = new Sweeper(_connections, Stats))
        {
            if (Connect() && Hold())
            {
                CheckAlive();
            }
        }

        if (_rssEnd < 0)
        {
            _rssEnd = ProcStats.RssKib(Options.ServerPid);
            EndMeasuredPhase();
        }

        // As loadgen.c does, the connections stay open until the process exits: closing 10,000
        // of them one by one (each pending read ending in an exception) only costs time.
        _finished = true;
        _launcher.Stop();
    }

    protected override string Describe(Summary summary)
    {
        var connectSeconds = _connectedNs > BeginNs ? Clock.ToSeconds(_connectedNs - BeginNs) : 0;
        var registrations = Registrations();
        var alive = Interlocked.Read(ref _aliveCount);
        var ready = Interlocked.Read(ref _ready);
        var perConnection = _rssBefore >= 0 && _rssAfter >= 0 && alive > 0 ? (double)(_rssAfter - _rssBefore) / alive : -1;
        summary.Add("n", Options.Conns, "connections asked");
        summary.Add("par", Options.Par);
        summary.Add("room_size", Options.RoomSize);
        summary.Add("hold_s", Options.Hold, 1);
        summary.Add("ready", ready, "registered");
        summary.Add("failed", Interlocked.Read(ref _failed), "failed before registering");
        summary.Add("dropped", Interlocked.Read(ref _dropped), "dropped after registering");
        summary.Add("alive", alive, "answered /ping after the hold");
        summary.Add("connect_s", connectSeconds, 3, "connect + register all (s)");
        summary.Add("conn_per_s", connectSeconds > 0 ? ready / connectSeconds : 0, 1, "connections registered per s");
        summary.Add("reg_p50_us", Us(registrations.Percentile(0.5)), 0, "registration p50 (us)");
        summary.Add("reg_p90_us", Us(registrations.Percentile(0.9)), 0, "registration p90 (us)");
        summary.Add("reg_p99_us", Us(registrations.Percentile(0.99)), 0, "registration p99 (us)");
        summary.Add("reg_max_us", Us(registrations.Max), 0, "registration max (us)");
        summary.Add("slow_connects", SlowConnects, "registrations over 900 ms");
        summary.Add("rss_before_kib", _rssBefore, "server RSS before (KiB)");
        summary.Add("rss_after_kib", _rssAfter, "server RSS during the hold (KiB)");
        summary.Add("rss_end_kib", _rssEnd, "server RSS at the end (KiB)");
        summary.Add("kib_per_conn", perConnection, 2, "server KiB per connection");
        return string.Create(CultureInfo.InvariantCulture, $"conns line n={Options.Conns} room-size={Options.RoomSize}");
    }

    // Phase 0: every connection started, registered or failed.
    private bool Connect()
    {
        _launcher.Start();
        if (!_launcher.WaitAllSettled(DeadlineNs))
        {
            End = "timeout";
            return false;
        }

        _connectedNs = Clock.NowNs();
        return true;
    }

    private void Launch(int id)
    {
        var nick = Naming.Nick('n', id);
        var room = Options.RoomSize > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Options.Room}{id / Options.RoomSize}") : Options.Room;
        var connection = new LineConnection(id, nick, NewReceiveBuffer(ReceiveBufferSize), _handler, Stats, Options.QuickAck, Options.EndPoint.AddressFamily);
        _connections[id] = connection;
        _ = RunAsync(connection, Registration(nick, room));
    }

    // Phase 1: idle; the server's RSS is read once it settled (half the hold, at most 1 s).
    private bool Hold()
    {
        var holdStart = Clock.NowNs();
        if (!SleepUntil(holdStart + Clock.FromSeconds(Math.Min(Options.Hold / 2, 1.0))))
        {
            return false;
        }

        _rssAfter = ProcStats.RssKib(Options.ServerPid);
        return SleepUntil(holdStart + Clock.FromSeconds(Options.Hold));
    }

    // Phase 2: every registered connection must answer /ping h.
    private void CheckAlive()
    {
        var ping = Options.Crlf ? "/ping h\r\n"u8 : "/ping h\n"u8;
        var live = 0;
        foreach (var connection in _connections)
        {
            if (connection is { State: ConnState.Ready, IsClosed: false })
            {
                live++;
                connection.Send(ping);
            }
        }

        var giveUp = Clock.NowNs() + Clock.FromSeconds(10 + (Options.Conns / 1000.0));
        while (Interlocked.Read(ref _aliveCount) < live)
        {
            var now = Clock.NowNs();
            if (now > DeadlineNs)
            {
                End = "timeout";
                return;
            }

            if (now > giveUp)
            {
                End = "liveness-timeout";
                break;
            }

            Thread.Sleep(2);
        }

        _rssEnd = ProcStats.RssKib(Options.ServerPid);
        EndMeasuredPhase();
    }

    private async Task RunAsync(LineConnection connection, byte[] registration)
    {
        var reason = await connection.RunAsync(Options.EndPointOf(connection.Id), registration, RegisterTimeoutNs).ConfigureAwait(false) ?? LossReason.Other;
        if (_finished)
        {
            return; // closed by our own end
        }

        var state = connection.State;
        if (state is ConnState.Connecting or ConnState.Registering)
        {
            Interlocked.Increment(ref _failed);
            Stats.CountReason(reason);
            LogLost(connection, state, reason);
            _launcher.Settled();
        }
        else
        {
            Interlocked.Increment(ref _dropped);
            Stats.CountReason(reason);
            LogLost(connection, state, reason);
        }
    }

    private sealed class Handler(ConnsScenario scenario) : LineHandler(scenario.Stats)
    {
        protected override void OnRegistered(LineConnection connection, long nowNs)
        {
            scenario.CountRegistration(connection, nowNs);
            Interlocked.Increment(ref scenario._ready);
            scenario._launcher.Settled();
        }

        protected override void OnPong(LineConnection connection, ReadOnlySpan<byte> token)
        {
            if (token.SequenceEqual("h"u8) && Interlocked.Exchange(ref scenario._alive[connection.Id], 1) == 0)
            {
                Interlocked.Increment(ref scenario._aliveCount);
            }
        }
    }
}
