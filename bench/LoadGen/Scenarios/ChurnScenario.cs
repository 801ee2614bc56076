using System.Globalization;
using System.Text;
using LoadGen.Net;
using LoadGen.Reporting;

namespace LoadGen.Scenarios;

/// <summary>
/// <c>churn</c>: K cycles of connect, register, send one payload, /quit, wait for the server to
/// close; --par cycles at once. An observer in the room (unless --no-observer) counts the payloads
/// it gets, which should equal the completed cycles. With --ports, cycle i connects to port i mod
/// the number of ports and the observer to the first.
/// </summary>
internal sealed class ChurnScenario : Scenario
{
    private const int ReceiveBufferSize = 4096;

    /// <summary>How long the server gets to close a connection after /quit before it counts as a quit timeout.</summary>
    private static readonly long s_quitTimeoutNs = Clock.FromSeconds(5);

    private readonly LineConnection?[] _connections; // one per slot, the observer last
    private readonly Lock _cyclesLock = new();
    private readonly Histogram _cycles = new();
    private readonly ClientHandler _clientHandler;
    private int _nextIter;
    private long _completed;
    private long _failed;
    private long _quitTimeouts;
    private long _observerReceived;
    private long _runStartNs;
    private long _runEndNs;
    private volatile bool _finished;

    public ChurnScenario(Options options)
        : base(options)
    {
        _connections = new LineConnection?[options.Par + 1];
        _clientHandler = new ClientHandler(this);
    }

    protected override void Execute()
    {
        using (var sweeper = new Sweeper(_connections, Stats, () => Interlocked.Increment(ref _quitTimeouts)))
        {
            if (!Options.Observer || StartObserver())
            {
                _runStartNs = Clock.NowNs();
                StartMeasuredPhase();
                WaitForCycles([.. Enumerable.Range(0, Options.Par).Select(RunSlotAsync)]);
            }
        }

        // The observer (and cycles cut short by --timeout) stay open until the process exits, as in loadgen.c.
        _finished = true;
    }

    protected override string Describe(Summary summary)
    {
        var span = _runEndNs > _runStartNs && _runStartNs > 0 ? _runEndNs - _runStartNs : 0;
        var completed = Interlocked.Read(ref _completed);
        var cycles = new Histogram();
        lock (_cyclesLock)
        {
            cycles.Merge(_cycles);
        }

        summary.Add("iters", Options.Iters, "cycles asked");
        summary.Add("par", Options.Par, "in parallel");
        summary.Add("completed", completed, "completed");
        summary.Add("errors", Interlocked.Read(ref _failed), "errors");
        summary.Add("quit_timeouts", Interlocked.Read(ref _quitTimeouts), "not closed within 5 s of /quit");
        summary.Add("observer_received", Options.Observer ? Interlocked.Read(ref _observerReceived) : -1, "observer received");
        summary.Add("run_s", Clock.ToSeconds(span), 3, "run (s)");
        summary.Add("conns_per_s", span > 0 ? completed / Clock.ToSeconds(span) : 0, 1, "cycles per s");
        summary.Add("cycle_p50_us", Us(cycles.Percentile(0.5)), 0, "cycle p50 (us)");
        summary.Add("cycle_p90_us", Us(cycles.Percentile(0.9)), 0, "cycle p90 (us)");
        summary.Add("cycle_p99_us", Us(cycles.Percentile(0.99)), 0, "cycle p99 (us)");
        summary.Add("cycle_max_us", Us(cycles.Max), 0, "cycle max (us)");
        return string.Create(CultureInfo.InvariantCulture, $"churn line K={Options.Iters} P={Options.Par}");
    }

    private bool StartObserver()
    {
        var observer = new LineConnection(0, Naming.Nick('o', 0), NewReceiveBuffer(64 * 1024), new ObserverHandler(this), Stats, Options.QuickAck, Options.EndPoint.AddressFamily);
        _connections[Options.Par] = observer;
        _ = ObserveAsync(observer);
        while (observer.State != ConnState.Ready)
        {
            if (observer.IsClosed || Clock.NowNs() > DeadlineNs)
            {
                Console.Error.WriteLine("observer could not register");
                End = "observer-failed";
                return false;
            }

            Thread.Sleep(2);
        }

        return true;
    }

    private async Task ObserveAsync(LineConnection observer)
    {
        var reason = await observer.RunAsync(Options.EndPoint, Registration(observer.Nick, Options.Room), RegisterTimeoutNs).ConfigureAwait(false);
        if (reason is { } lost && !_finished)
        {
            Stats.CountReason(lost);
            if (Options.Verbose)
            {
                Console.Error.WriteLine("observer lost");
            }
        }
    }

    private void WaitForCycles(Task[] slots)
    {
        while (!Task.WaitAll(slots, TimeSpan.FromMilliseconds(20)))
        {
            if (Clock.NowNs() > DeadlineNs)
            {
                End = "timeout";
                _runEndNs = Clock.NowNs();
                EndMeasuredPhase();
                return;
            }
        }

        _runEndNs = Clock.NowNs();
        EndMeasuredPhase();

        // Give the observer up to 2 s to receive the last messages.
        var drainUntil = Clock.NowNs() + Clock.FromSeconds(2);
        while (Options.Observer && Interlocked.Read(ref _observerReceived) < Interlocked.Read(ref _completed) && Clock.NowNs() < drainUntil)
        {
            Thread.Sleep(2);
        }
    }

    // One slot: cycle after cycle until K cycles were started in all. The slot's receive buffer is reused.
    private async Task RunSlotAsync(int slot)
    {
        var buffer = NewReceiveBuffer(ReceiveBufferSize);
        while (!_finished)
        {
            var iter = Interlocked.Increment(ref _nextIter) - 1;
            if (iter >= Options.Iters)
            {
                break;
            }

            var nick = Naming.Nick('c', iter);
            var connection = new LineConnection(iter, nick, buffer, _clientHandler, Stats, Options.QuickAck, Options.EndPoint.AddressFamily);
            _connections[slot] = connection;
            var reason = await connection.RunAsync(Options.EndPointOf(iter), Registration(nick, Options.Room), RegisterTimeoutNs).ConfigureAwait(false) ?? LossReason.Other;
            var state = connection.State;
            if (state == ConnState.Quitting && reason is LossReason.Eof or LossReason.Reset)
            {
                // The server closed after /quit (a reset after quit still completes the cycle).
                Interlocked.Increment(ref _completed);
                var took = Clock.NowNs() - connection.StartNs;
                lock (_cyclesLock)
                {
                    _cycles.Add(took);
                }
            }
            else if (!_finished)
            {
                Interlocked.Increment(ref _failed);
                Stats.CountReason(reason);
                LogLost(connection, state, reason);
            }
        }

        _connections[slot] = null;
    }

    private sealed class ClientHandler(ChurnScenario scenario) : LineHandler(scenario.Stats)
    {
        // The message and the /quit go in one write, right after the registration's pong.
        protected override void OnRegistered(LineConnection connection, long nowNs)
        {
            scenario.CountRegistration(connection, nowNs);
            var eol = scenario.Options.Crlf ? "\r\n" : "\n";
            connection.Send(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"B {connection.Id} 0 {nowNs}{eol}/quit{eol}")));
            if (connection.State == ConnState.Ready)
            {
                connection.DeadlineNs = nowNs + s_quitTimeoutNs;
                connection.State = ConnState.Quitting;
            }
        }

        // Other clients' payloads reach every client in the room; only the observer counts them.
        protected override void OnPayload(LineConnection connection, uint sender, uint seq, long sentNs, long nowNs)
        {
        }
    }

    private sealed class ObserverHandler(ChurnScenario scenario) : LineHandler(scenario.Stats)
    {
        protected override void OnRegistered(LineConnection connection, long nowNs)
        {
        }

        protected override void OnPayload(LineConnection connection, uint sender, uint seq, long sentNs, long nowNs) =>
            Interlocked.Increment(ref scenario._observerReceived);
    }
}
