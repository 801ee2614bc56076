using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Supervision.Benchmarks;

/// <summary>
/// Cast throughput into one worker: <see cref="Messages"/> messages posted with
/// <see cref="Worker{TMessage}.Tell"/>, then wait until the worker has handled the last one.
/// Baseline: the same work in a bare unbounded <see cref="Channel{T}"/> (SingleReader) read loop.
/// Issue 5 goal: worker throughput ≥ 0.7 × the baseline, i.e. a Ratio (time) ≤ 1.43.
/// </summary>
/// <remarks>
/// On 2 cores the time per message is bimodal (the reader either drains long batches or is parked and
/// woken through the thread pool over and over), hence more iterations than the other classes and the median.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 5, iterationCount: 30)]
public class CastThroughputBenchmarks
{
    public const int Messages = 100_000;

    private readonly Countdown _bare = new();
    private Channel<int> _channel = null!;
    private Task _bareLoop = null!;
    private CountingWorker _worker = null!;

    [GlobalSetup]
    public void Setup()
    {
        _channel = BareLoop.CreateMailbox<int>();
        _bareLoop = BareLoop.RunAsync(_channel.Reader, _bare.Handle);
        _worker = new CountingWorker();
        _worker.StartAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Writer.TryComplete();
        _bareLoop.GetAwaiter().GetResult();
        _worker.Stop();
        _worker.Completion.GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "Bare Channel<int> read loop")]
    public Task BareChannel()
    {
        var done = _bare.Arm(Messages);
        var writer = _channel.Writer;
        for (var i = 0; i < Messages; i++)
        {
            writer.TryWrite(i);
        }

        return done;
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "Worker.Tell")]
    public Task WorkerTell()
    {
        var done = _worker.Countdown.Arm(Messages);
        for (var i = 0; i < Messages; i++)
        {
            _worker.Tell(i);
        }

        return done;
    }

    [Benchmark(OperationsPerInvoke = Messages, Description = "Worker.TellAsync (awaited)")]
    public async Task WorkerTellAsync()
    {
        var done = _worker.Countdown.Arm(Messages);
        for (var i = 0; i < Messages; i++)
        {
            await _worker.TellAsync(i).ConfigureAwait(false);
        }

        await done.ConfigureAwait(false);
    }
}
