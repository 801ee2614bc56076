using System.Collections.Concurrent;
using Supervision.Tests.Support;

namespace Supervision.Tests.Workers;

/// <summary>
/// A worker whose messages are the code to run: each test scripts its handler inline. It records
/// every stop-callback call, and exposes <c>RunInBackground</c> to the test.
/// </summary>
internal sealed class ScriptedWorker : Worker<ScriptedWorker.Step>
{
    private readonly Func<ScriptedWorker, CancellationToken, ValueTask>? _init;
    private readonly ConcurrentQueue<ExitReason> _terminations = new();

    public ScriptedWorker(WorkerOptions? options = null, Func<ScriptedWorker, CancellationToken, ValueTask>? init = null)
        : base(options)
    {
        _init = init;
    }

    /// <summary>One message: the handler body.</summary>
    public delegate ValueTask Step(CancellationToken cancellationToken);

    public EventLog Log { get; } = new();

    /// <summary>The reasons the stop callback was called with, in order.</summary>
    public IReadOnlyList<ExitReason> Terminations => _terminations.ToArray();

    /// <summary>A step that runs <paramref name="action"/> synchronously.</summary>
    public static Step Do(Action action) => _ =>
    {
        action();
        return ValueTask.CompletedTask;
    };

    /// <summary>A step that signals <paramref name="entered"/> and then blocks the loop until <paramref name="release"/> completes, ignoring cancellation.</summary>
    public static Step Block(TaskCompletionSource entered, Task release) => async _ =>
    {
        entered.TrySetResult();
        await release;
    };

    public void Background(Func<CancellationToken, Task> loop) => RunInBackground(loop);

    /// <summary>Waits until every message queued before this one has been handled.</summary>
    public Task<bool> PingAsync() => CallAsync<bool>(reply => _ =>
    {
        reply.Send(true);
        return ValueTask.CompletedTask;
    }, Timeout.InfiniteTimeSpan).WaitAsync(EventLog.DefaultWait);

    protected override ValueTask InitAsync(CancellationToken cancellationToken) =>
        _init?.Invoke(this, cancellationToken) ?? ValueTask.CompletedTask;

    protected override ValueTask HandleAsync(Step message, CancellationToken cancellationToken) => message(cancellationToken);

    protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        _terminations.Enqueue(reason);
        Log.Add($"terminate:{reason}");
        return ValueTask.CompletedTask;
    }
}

internal static class Signals
{
    public static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Task WithinTimeout(this Task task) => task.WaitAsync(EventLog.DefaultWait);

    public static Task<T> WithinTimeout<T>(this Task<T> task) => task.WaitAsync(EventLog.DefaultWait);
}
