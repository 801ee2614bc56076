namespace LoadGen.Scenarios;

/// <summary>
/// Keeps at most <c>--par</c> connections between "connect started" and "registered or failed",
/// so that a burst of connects does not overrun the server's accept backlog.
/// </summary>
internal sealed class Launcher(int parallel) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(parallel, parallel);
    private int _inProgress;

    public int InProgress => Volatile.Read(ref _inProgress);

    /// <summary>Waits for a free slot; false when <paramref name="deadlineNs"/> passed first.</summary>
    public bool TryEnter(long deadlineNs)
    {
        while (!_slots.Wait(20))
        {
            if (Clock.NowNs() > deadlineNs)
            {
                return false;
            }
        }

        Interlocked.Increment(ref _inProgress);
        return true;
    }

    /// <summary>A connection registered or failed: its slot is free.</summary>
    public void Exit()
    {
        Interlocked.Decrement(ref _inProgress);
        _slots.Release();
    }

    /// <summary>Waits until no connection is in progress; false when <paramref name="deadlineNs"/> passed first.</summary>
    public bool WaitIdle(long deadlineNs)
    {
        while (InProgress > 0)
        {
            if (Clock.NowNs() > deadlineNs)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    public void Dispose() => _slots.Dispose();
}
