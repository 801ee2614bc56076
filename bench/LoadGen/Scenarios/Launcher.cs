namespace LoadGen.Scenarios;

/// <summary>
/// Starts connections 0..count-1 with at most <c>--par</c> of them between "connect started" and
/// "registered or failed", so that a burst of connects does not overrun the server's accept
/// backlog. A connection that settles starts the next one right there, on the socket thread that
/// saw it settle: no thread hand-off (and no context switch) per connection.
/// </summary>
internal sealed class Launcher(int count, int parallel, Action<int> start)
{
    // A connection that fails at once (refused) settles inside its own start; past this depth the
    // next start goes through the thread pool instead of recursing.
    private const int MaxNesting = 16;

    [ThreadStatic]
    private static int t_nesting;

    private int _next;
    private int _inProgress;
    private volatile bool _stopped;

    /// <summary>Starts the first <c>--par</c> connections.</summary>
    public void Start()
    {
        for (var i = 0; i < Math.Min(parallel, count); i++)
        {
            StartNext();
        }
    }

    /// <summary>A connection registered or failed: its slot goes to the next one.</summary>
    public void Settled()
    {
        Interlocked.Decrement(ref _inProgress);
        if (t_nesting < MaxNesting)
        {
            StartNext();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static launcher => launcher.StartNext(), this, preferLocal: false);
        }
    }

    /// <summary>Starts no more connections (the run is over).</summary>
    public void Stop() => _stopped = true;

    /// <summary>Waits until every connection was started and settled; false when <paramref name="deadlineNs"/> passed first.</summary>
    public bool WaitAllSettled(long deadlineNs)
    {
        // _next before _inProgress: a starter counts itself in progress before it takes an id.
        while (Volatile.Read(ref _next) < count || Volatile.Read(ref _inProgress) > 0)
        {
            if (Clock.NowNs() > deadlineNs)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    private void StartNext()
    {
        if (_stopped)
        {
            return;
        }

        Interlocked.Increment(ref _inProgress);
        var id = Interlocked.Increment(ref _next) - 1;
        if (id >= count)
        {
            Interlocked.Decrement(ref _inProgress);
            return;
        }

        t_nesting++;
        try
        {
            start(id);
        }
        finally
        {
            t_nesting--;
        }
    }
}
