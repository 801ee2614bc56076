namespace Supervision;

/// <summary>
/// The background loops of one worker (<c>RunInBackground</c>): a count of those still running, so
/// that nothing is kept of a loop that ended, and the worker's stop can wait for the rest.
/// Thread-safe: loops may be added from the worker's loop, from init or from another loop.
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
}
