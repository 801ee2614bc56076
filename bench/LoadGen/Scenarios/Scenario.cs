using System.Globalization;
using System.Text;
using LoadGen.Net;
using LoadGen.Reporting;

namespace LoadGen.Scenarios;

/// <summary>The outcome of a run: the JSON line for stdout, the table for stderr and the exit code.</summary>
internal sealed record RunResult(string Json, string Table, int ExitCode);

/// <summary>
/// What every scenario shares: the overall deadline, the registration of a connection, CPU
/// sampling of the measured phase and the common head and tail of the summary.
/// </summary>
internal abstract class Scenario
{
    /// <summary>Registrations this slow suggest a SYN retransmit (a full accept backlog), as loadgen.c counts them.</summary>
    private static readonly long s_slowConnectNs = Clock.FromSeconds(0.9);

    private readonly Lock _registrationsLock = new();
    private readonly Histogram _registrations = new();
    private long _slowConnects;
    private double _ownCpuAtStart;
    private double _ownCpuAtEnd = -1;
    private double _serverCpuAtStart;
    private double _serverCpuAtEnd = -1;
    private long _allocatedAtStart;
    private long _allocatedAtEnd = -1;
    private int _collectionsAtStart;
    private int _collectionsAtEnd = -1;

    protected Scenario(Options options)
    {
        Options = options;
        Stats = new RunStats(options.Verbose);
        BeginNs = Clock.NowNs();
        DeadlineNs = BeginNs + Clock.FromSeconds(options.Timeout);
        StartMeasuredPhase();
    }

    protected Options Options { get; }

    protected RunStats Stats { get; }

    protected long BeginNs { get; }

    /// <summary>The end of --timeout: no phase waits past it.</summary>
    protected long DeadlineNs { get; }

    /// <summary>How the run ended, loadgen.c's words: "complete", "timeout", "setup-failed", ...</summary>
    protected string End { get; set; } = "complete";

    protected long RegisterTimeoutNs => Clock.FromSeconds(Options.ConnTimeout);

    protected long SlowConnects => Interlocked.Read(ref _slowConnects);

    public static Scenario Create(Options options) => options.Scenario switch
    {
        ScenarioKind.Conns => new ConnsScenario(options),
        ScenarioKind.Fanout => new FanoutScenario(options),
        _ => new ChurnScenario(options),
    };

    public RunResult Run()
    {
        Execute();
        return Report();
    }

    /// <summary>Runs the scenario; sets <see cref="End"/> when it does not complete.</summary>
    protected abstract void Execute();

    /// <summary>Adds the scenario's fields to <paramref name="summary"/>; returns the table's title.</summary>
    protected abstract string Describe(Summary summary);

    /// <summary>Samples the CPU counters at the start of the phase the CPU figures cover.</summary>
    protected void StartMeasuredPhase()
    {
        _ownCpuAtStart = ProcStats.OwnCpuTotal();
        _serverCpuAtStart = ProcStats.CpuSeconds(Options.ServerPid);
        _allocatedAtStart = GC.GetTotalAllocatedBytes();
        _collectionsAtStart = GC.CollectionCount(0);
    }

    protected void EndMeasuredPhase()
    {
        _serverCpuAtEnd = ProcStats.CpuSeconds(Options.ServerPid);
        _ownCpuAtEnd = ProcStats.OwnCpuTotal();
        _allocatedAtEnd = GC.GetTotalAllocatedBytes();
        _collectionsAtEnd = GC.CollectionCount(0);
    }

    /// <summary>"/nick N", "/join #room", "/ping r": the pong tells that both went through.</summary>
    protected byte[] Registration(string nick, string room)
    {
        var eol = Options.Crlf ? "\r\n" : "\n";
        return Encoding.UTF8.GetBytes($"/nick {nick}{eol}/join {room}{eol}/ping r{eol}");
    }

    /// <summary>Records a registration's time, as every scenario's on_ready does in loadgen.c.</summary>
    protected void CountRegistration(LineConnection connection, long nowNs)
    {
        var took = nowNs - connection.StartNs;
        lock (_registrationsLock)
        {
            _registrations.Add(took);
        }

        if (took >= s_slowConnectNs)
        {
            Interlocked.Increment(ref _slowConnects);
        }

        if (connection.RegistrationError)
        {
            Stats.CountReason(LossReason.Proto);
        }
    }

    protected Histogram Registrations()
    {
        lock (_registrationsLock)
        {
            var copy = new Histogram();
            copy.Merge(_registrations);
            return copy;
        }
    }

    /// <summary>Sleeps until <paramref name="targetNs"/>; false (and End = "timeout") if the overall deadline comes first.</summary>
    protected bool SleepUntil(long targetNs)
    {
        while (true)
        {
            var now = Clock.NowNs();
            if (now >= targetNs)
            {
                return true;
            }

            if (now > DeadlineNs)
            {
                End = "timeout";
                return false;
            }

            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Clamp((Math.Min(targetNs, DeadlineNs) - now) / 1e6, 1, 10)));
        }
    }

    protected void LogLost(LineConnection connection, ConnState state, LossReason reason)
    {
        if (Options.Verbose)
        {
            Console.Error.WriteLine($"conn {connection.Id} ({connection.Nick}) lost in state {state} reason {Name(reason)}");
        }
    }

    /// <summary>
    /// A receive buffer: an ordinary array. On Linux the socket engine only touches it inside the
    /// recv call that fills it, so a pending read keeps nothing pinned.
    /// </summary>
    protected static byte[] NewReceiveBuffer(int size) => GC.AllocateUninitializedArray<byte>(size);

    protected static string Name(LossReason reason) => reason.ToString().ToLowerInvariant();

    protected static double Us(long ns) => Clock.ToMicroseconds(ns);

    private RunResult Report()
    {
        var (user, system) = ProcStats.OwnCpu();
        var wallNs = Clock.NowNs() - BeginNs;
        var summary = new Summary();
        summary.Add("scenario", Options.ScenarioName);
        summary.Add("proto", "line");
        summary.Add("host", Options.Host);
        summary.Add("port", Options.Port);
        if (Options.EndPoints.Count > 1)
        {
            summary.Add("ports", Options.PortList, "ports");
            summary.Add("spread", Options.SpreadName, "spread over the ports");
        }
        summary.Add("label", Options.Label);
        summary.Add("generator", "csharp");
        summary.Add("end", End, "end");
        var error = ErrorText();
        if (error is not null)
        {
            summary.Add("error", error, "error");
        }

        summary.Add("wall_s", Clock.ToSeconds(wallNs), 3, "wall time (s)");
        var title = Describe(summary);

        summary.Add("err_lines", Stats.ErrorLines, "error lines (! ...)");
        summary.Add("other_lines", Stats.OtherLines, "other lines");
        summary.AddCounts("reasons", Enum.GetValues<LossReason>()
            .Select(r => KeyValuePair.Create(Name(r), Stats.Reason(r)))
            .Where(p => p.Value > 0), "connection losses by reason");
        summary.AddStrings("err_samples", Stats.Samples(), "first errors");
        var ownPhase = (_ownCpuAtEnd > 0 ? _ownCpuAtEnd : user + system) - _ownCpuAtStart;
        var serverPhase = _serverCpuAtEnd >= 0 && _serverCpuAtStart >= 0 ? _serverCpuAtEnd - _serverCpuAtStart : -1;
        summary.Add("lg_cpu_user_s", user, 3, "load generator CPU user (s)");
        summary.Add("lg_cpu_sys_s", system, 3, "load generator CPU system (s)");
        summary.Add("lg_cpu_phase_s", ownPhase, 3, "load generator CPU in the measured phase (s)");
        // Evidence for "no allocation per message": what the measured phase allocated, and its GCs.
        summary.Add("lg_alloc_phase_kib", ((_allocatedAtEnd >= 0 ? _allocatedAtEnd : GC.GetTotalAllocatedBytes()) - _allocatedAtStart) / 1024, "load generator allocations in the measured phase (KiB)");
        summary.Add("lg_gc_phase", (_collectionsAtEnd >= 0 ? _collectionsAtEnd : GC.CollectionCount(0)) - _collectionsAtStart, "load generator GCs in the measured phase");
        summary.Add("srv_pid", Options.ServerPid);
        summary.Add("srv_cpu_phase_s", serverPhase, 2, "server CPU in the measured phase (s)");
        var label = Options.Label.Length > 0 ? $" [{Options.Label}]" : "";
        return new RunResult(summary.ToJson(), summary.ToTable($"LoadGen {title} on {Options.Host}:{Options.PortList}{label}"), error is null ? 0 : 1);
    }

    private string? ErrorText() => End switch
    {
        "complete" => null,
        "timeout" => string.Create(CultureInfo.InvariantCulture, $"timeout: the run did not finish within --timeout {Options.Timeout} s"),
        "setup-timeout" => "setup-timeout: not every client connected and registered within --timeout",
        "setup-failed" => "setup-failed: not every client connected and registered",
        "stalled" => "stalled: no delivery for --idle seconds before every message was sent",
        "stalled-after-send" => "stalled-after-send: not every message was delivered within --idle seconds of the last progress",
        "liveness-timeout" => "liveness-timeout: not every connection answered /ping after the hold",
        "observer-failed" => "observer-failed: the churn observer could not register",
        _ => End,
    };
}
