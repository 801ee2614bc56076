using System.Threading.Channels;

namespace Supervision.Benchmarks;

/// <summary>
/// The per-message work of the cast benchmark, shared by the worker and the bare loop so both do
/// exactly the same thing: add the message to a sum and complete a signal at the last expected one.
/// </summary>
internal sealed class Countdown
{
    private int _left;
    private long _sum;
    private TaskCompletionSource? _done;

    public long Sum => _sum;

    /// <summary>Expects <paramref name="count"/> more messages; the task completes when the last is handled.</summary>
    /// <remarks>Called before the messages are written: the channel write publishes these fields to the reader.</remarks>
    public Task Arm(int count)
    {
        var done = new TaskCompletionSource();
        _done = done;
        _left = count;
        return done.Task;
    }

    public void Handle(int message)
    {
        _sum += message;
        if (--_left == 0)
        {
            _done!.TrySetResult();
        }
    }
}

/// <summary>A worker whose handler is <see cref="Countdown.Handle"/>.</summary>
internal sealed class CountingWorker(WorkerOptions? options = null) : Worker<int>(options)
{
    public Countdown Countdown { get; } = new();

    protected override ValueTask HandleAsync(int message, CancellationToken cancellationToken)
    {
        Countdown.Handle(message);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A worker that answers every call with 42.</summary>
internal sealed class EchoWorker : Worker<Reply<int>>
{
    protected override ValueTask HandleAsync(Reply<int> message, CancellationToken cancellationToken)
    {
        message.Send(42);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A worker that does nothing: what an idle connection or session costs.</summary>
internal sealed class IdleWorker(WorkerOptions? options = null) : Worker<int>(options)
{
    protected override ValueTask HandleAsync(int message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

internal enum Command
{
    /// <summary>Throw from the handler: the worker crashes with a failure.</summary>
    Crash,

    /// <summary>Stop normally from the handler (a permanent child is restarted anyway).</summary>
    Exit,
}

/// <summary>A supervised child that reports each incarnation's start to an <see cref="IncarnationLog"/>.</summary>
internal sealed class CrashableWorker(IncarnationLog log) : Worker<Command>
{
    protected override ValueTask InitAsync(CancellationToken cancellationToken)
    {
        log.Started(this);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask HandleAsync(Command message, CancellationToken cancellationToken)
    {
        if (message == Command.Crash)
        {
            throw new InvalidOperationException("benchmark crash");
        }

        Stop(ExitReason.Normal);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Where the benchmark learns that the next incarnation of a child has started.</summary>
internal sealed class IncarnationLog
{
    private TaskCompletionSource<CrashableWorker>? _next;

    /// <summary>A task completed by the next incarnation's init.</summary>
    public Task<CrashableWorker> Expect()
    {
        var next = new TaskCompletionSource<CrashableWorker>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _next, next);
        return next.Task;
    }

    public void Started(CrashableWorker worker) => Volatile.Read(ref _next)?.TrySetResult(worker);
}

/// <summary>The bare baselines: a channel and a plain async read loop, nothing else.</summary>
internal static class BareLoop
{
    public static Channel<T> CreateMailbox<T>() =>
        Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Reads until the writer completes; parks on <see cref="ChannelReader{T}.WaitToReadAsync"/> when empty.</summary>
    public static async Task RunAsync<T>(ChannelReader<T> reader, Action<T> handle)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                handle(message);
            }
        }
    }
}
