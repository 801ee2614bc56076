using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Supervision.Benchmarks;

/// <summary>
/// Call round-trip latency: <see cref="Calls"/> sequential calls per invocation, each awaited before
/// the next (the caller runs as a thread-pool continuation, as another worker would). Baseline: a bare
/// channel of <see cref="TaskCompletionSource{TResult}"/> (RunContinuationsAsynchronously) whose loop
/// completes each one. Two more bare rows add, one at a time, what <see cref="Worker{TMessage}.CallAsync"/>
/// adds around the reply: a <see cref="Task.WhenAny(Task, Task)"/> with the worker's completion, then
/// a 5 s <c>WaitAsync</c> timeout on the system clock.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class CallLatencyBenchmarks
{
    public const int Calls = 1_000;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource<ExitReason> _neverExits = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Channel<TaskCompletionSource<int>> _requests = null!;
    private Task _bareLoop = null!;
    private EchoWorker _worker = null!;

    [GlobalSetup]
    public void Setup()
    {
        _requests = BareLoop.CreateMailbox<TaskCompletionSource<int>>();
        _bareLoop = BareLoop.RunAsync(_requests.Reader, static request => request.TrySetResult(42));
        _worker = new EchoWorker();
        _worker.StartAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _requests.Writer.TryComplete();
        _bareLoop.GetAwaiter().GetResult();
        _worker.Stop();
        _worker.Completion.GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "Bare channel + TCS")]
    public async Task<long> BareChannelTcs()
    {
        long sum = 0;
        var writer = _requests.Writer;
        for (var i = 0; i < Calls; i++)
        {
            var request = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            writer.TryWrite(request);
            sum += await request.Task.ConfigureAwait(false);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "Bare + WhenAny(reply, exit)")]
    public async Task<long> BareWithWhenAny()
    {
        long sum = 0;
        var writer = _requests.Writer;
        for (var i = 0; i < Calls; i++)
        {
            var request = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            writer.TryWrite(request);
            await Task.WhenAny(request.Task, _neverExits.Task).ConfigureAwait(false);
            sum += await request.Task.ConfigureAwait(false);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "Bare + WhenAny + WaitAsync(5 s)")]
    public async Task<long> BareWithWhenAnyAndTimeout()
    {
        long sum = 0;
        var writer = _requests.Writer;
        for (var i = 0; i < Calls; i++)
        {
            var request = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            writer.TryWrite(request);
            await Task.WhenAny(request.Task, _neverExits.Task).WaitAsync(s_timeout, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
            sum += await request.Task.ConfigureAwait(false);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "Worker.CallAsync (default 5 s timeout)")]
    public async Task<long> WorkerCall()
    {
        long sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += await _worker.CallAsync<int>(static reply => reply).ConfigureAwait(false);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "Worker.CallAsync (infinite timeout)")]
    public async Task<long> WorkerCallInfinite()
    {
        long sum = 0;
        for (var i = 0; i < Calls; i++)
        {
            sum += await _worker.CallAsync<int>(static reply => reply, Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        }

        return sum;
    }
}
