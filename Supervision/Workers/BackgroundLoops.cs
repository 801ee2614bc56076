namespace Supervision;

/// <summary>
/// The background loops of one worker (<c>RunInBackground</c>): runs each on the thread pool, turns
/// its failure into the worker's crash, and counts those still running, so that nothing is kept of a
/// loop that ended, and the worker's stop can wait for the rest. Thread-safe: loops may be added from
/// the worker's loop, from init or from another loop.
/// </summary>
internal sealed class BackgroundLoops
{
    private readonly Lock _lock = new();

    /// <summary>Loops started and not yet finished.</summary>
    private int _running;

    /// <summary>Completed when <see cref="_running"/> drops to zero while someone waits; made on demand.</summary>
    private TaskCompletionSource? _allDone;

    public int Running
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="loop"/> off the caller's stack with <paramref name="stopping"/>; if it throws while
    /// <paramref name="stopping"/> is not cancelled, <paramref name="owner"/> crashes with the exception.
    /// </summary>
    public void Run(IProcess owner, Func<CancellationToken, Task> loop, CancellationToken stopping)
    {
        Started();
        _ = RunAsync(owner, loop, stopping);
    }

    /// <summary>Completes when no loop runs any more, or when <paramref name="killed"/> abandons the wait.</summary>
    public async Task WaitAsync(CancellationToken killed)
    {
        try
        {
            await WhenAllDone().WaitAsync(killed).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A kill abandons the wait.
        }
    }

    /// <summary>Counts a loop in; call <see cref="Finished"/> exactly once when it ends.</summary>
    public void Started()
    {
        lock (_lock)
        {
            _running++;
        }
    }

    public void Finished()
    {
        TaskCompletionSource? allDone = null;
        lock (_lock)
        {
            if (--_running == 0)
            {
                allDone = _allDone;
                _allDone = null;
            }
        }

        allDone?.TrySetResult();
    }

    /// <summary>Completes when no loop runs any more (loops started meanwhile included).</summary>
    public Task WhenAllDone()
    {
        lock (_lock)
        {
            return _running == 0
                ? Task.CompletedTask
                : (_allDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    // One state machine per loop (no Task.Run closure, unwrap promise or continuation task): it is held for a connection's life.
    private async Task RunAsync(IProcess owner, Func<CancellationToken, Task> loop, CancellationToken stopping)
    {
        try
        {
            // Off the caller's stack and onto the thread pool, as Task.Run would: the loop must not run inside InitAsync or a handler.
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            await loop(stopping).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // A failure while stopping is part of the stop; otherwise it is the worker's crash.
            if (!stopping.IsCancellationRequested)
            {
                owner.Stop(ExitReason.Failure(error));
            }
        }
        finally
        {
            Finished();
        }
    }
}
