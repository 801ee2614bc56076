namespace Supervision.Tests.Support;

/// <summary>
/// Keeps a supervisor's loop busy in a child start that ignores cancellation (and says "ignore")
/// until <see cref="Release"/>: nothing queued behind it is handled meanwhile.
/// </summary>
public sealed class BusySupervisor
{
    private readonly TaskCompletionSource _gate;

    private BusySupervisor(TaskCompletionSource gate, Task<IProcess?> start)
    {
        _gate = gate;
        Start = start;
    }

    /// <summary>The occupying <c>StartChildAsync</c>; completes with null after <see cref="Release"/>.</summary>
    public Task<IProcess?> Start { get; }

    /// <summary>Returns once <paramref name="sup"/>'s loop is inside the occupying start.</summary>
    public static async Task<BusySupervisor> OccupyAsync(Supervisor sup)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Made before the start is asked for: the start may run before StartChildAsync returns.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = sup.StartChildAsync(new ChildSpec
        {
            Id = "occupier",
            Restart = RestartType.Temporary,
            Start = async _ =>
            {
                entered.TrySetResult();
                await gate.Task;
                return null;
            },
        });
        var busy = new BusySupervisor(gate, start);
        await entered.Task.WaitAsync(EventLog.DefaultWait);
        return busy;
    }

    public void Release() => _gate.TrySetResult();
}
