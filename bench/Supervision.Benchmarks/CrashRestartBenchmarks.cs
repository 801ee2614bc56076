using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Supervision.Benchmarks;

/// <summary>
/// Crash-to-restarted latency under one-for-one: the permanent child is told to crash (its handler
/// throws) and the benchmark awaits the init of the next incarnation. The path: handler throws →
/// worker exits → monitor posts ChildExited to the supervisor → intensity check → the spec's start
/// builds and starts a new worker. MaxRestarts is int.MaxValue, so intensity never trips.
/// The second row exits normally instead of throwing: the same restart without the exception.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class CrashRestartBenchmarks
{
    private readonly IncarnationLog _log = new();
    private Supervisor _supervisor = null!;
    private CrashableWorker _current = null!;

    [GlobalSetup]
    public void Setup()
    {
        var first = _log.Expect();
        var options = new SupervisorOptions
        {
            Name = "bench",
            Strategy = SupervisionStrategy.OneForOne,
            MaxRestarts = int.MaxValue,
            Period = TimeSpan.FromSeconds(1),
        };
        _supervisor = Supervisor.StartAsync(options, [ChildSpec.ForWorker("child", () => new CrashableWorker(_log))]).GetAwaiter().GetResult();
        _current = first.GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _supervisor.Stop();
        _supervisor.Completion.GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "Crash (throw) -> restarted")]
    public async Task CrashToRestarted()
    {
        var next = _log.Expect();
        _current.Tell(Command.Crash);
        _current = await next.ConfigureAwait(false);
    }

    [Benchmark(Description = "Normal exit -> restarted")]
    public async Task ExitToRestarted()
    {
        var next = _log.Expect();
        _current.Tell(Command.Exit);
        _current = await next.ConfigureAwait(false);
    }
}
