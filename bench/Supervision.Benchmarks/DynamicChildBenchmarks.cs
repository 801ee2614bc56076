using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Supervision.Benchmarks;

/// <summary>
/// Spawn and stop cost of a dynamic child: <see cref="DynamicSupervisor.StartChildAsync"/> then
/// <see cref="DynamicSupervisor.TerminateChildAsync"/> of a temporary idle worker. For scale, the
/// same life cycle without a supervisor (a bare worker; a bare channel and read loop, the baseline).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class DynamicChildBenchmarks
{
    private static readonly Action<int> s_ignore = static _ => { };

    private readonly ChildSpec _spec = ChildSpec.ForWorker("session", static () => new IdleWorker(), RestartType.Temporary);
    private DynamicSupervisor _supervisor = null!;

    [GlobalSetup]
    public void Setup() =>
        _supervisor = DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = "bench" }).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _supervisor.Stop();
        _supervisor.Completion.GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "Bare channel + loop: start, complete, await")]
    public Task BareLoopStartStop()
    {
        var mailbox = BareLoop.CreateMailbox<int>();
        var loop = BareLoop.RunAsync(mailbox.Reader, s_ignore);
        mailbox.Writer.TryComplete();
        return loop;
    }

    [Benchmark(Description = "Worker: StartAsync, Stop, await Completion")]
    public async Task WorkerStartStop()
    {
        var worker = new IdleWorker();
        await worker.StartAsync().ConfigureAwait(false);
        worker.Stop();
        await worker.Completion.ConfigureAwait(false);
    }

    [Benchmark(Description = "DynamicSupervisor: StartChildAsync + TerminateChildAsync")]
    public async Task DynamicChildStartTerminate()
    {
        var child = await _supervisor.StartChildAsync(_spec).ConfigureAwait(false);
        await _supervisor.TerminateChildAsync(child!).ConfigureAwait(false);
    }
}
