using Supervision;

namespace ChatServer.Tests.Support;

/// <summary>
/// A worker that holds its supervisor's stop open until the test releases it: started under a supervisor of
/// the tree with an infinite shutdown, it makes "while the server is stopping" a state a test can stand in,
/// deterministically, instead of a race against a fast stop.
/// </summary>
public sealed class StopGate : Worker<StopGate.Message>
{
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StopGate()
        : base(new WorkerOptions { Name = "stop-gate" })
    {
    }

    public abstract record Message;

    /// <summary>Completes when the stop has reached this worker (and waits for <see cref="Release"/>).</summary>
    public Task StopReached => _stopping.Task;

    /// <summary>Lets the stop go on.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>Starts a gate under the dynamic supervisor registered as <paramref name="supervisor"/>.</summary>
    public static async Task<StopGate> StartUnderAsync(ProcessRegistry names, string supervisor)
    {
        var parent = names.WhereIs(supervisor) as DynamicSupervisor ?? throw new AssertionException($"no dynamic supervisor {supervisor}");
        var gate = new StopGate();
        await parent.StartChildAsync(ChildSpec.ForWorker("stop-gate", () => gate, RestartType.Temporary) with { Shutdown = ShutdownPolicy.Infinity });
        return gate;
    }

    protected override ValueTask HandleAsync(Message message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        _stopping.TrySetResult();
        await _released.Task.WaitAsync(TestServer.Wait * 3, CancellationToken.None);
    }
}
