namespace LoadGen.Scenarios;

/// <summary>
/// Closed loop: one thread tops up the senders' windows. Receivers only mark a sender whose
/// messages arrived and wake this thread; while it works, more credits pile up, so each sender
/// gets one write with many messages instead of one write per delivery. That is the batching
/// loadgen.c gets from pumping its dirty senders once per epoll round, and it keeps the number of
/// sends (and so the server's and our CPU per message) comparable.
/// </summary>
internal sealed class FanoutPumper : IDisposable
{
    private readonly FanoutSender[] _senders;
    private readonly int[] _dirty;
    private readonly byte[] _scratch;
    // No spinning before it blocks: spinning would take CPU from the server on a 2-core machine.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly Thread _thread;
    private int _wakeRequested;
    private volatile bool _stop;

    public FanoutPumper(FanoutSender[] senders, int pad, int eolLength)
    {
        _senders = senders;
        _dirty = new int[senders.Length];
        _scratch = new byte[FanoutSender.ScratchSize(pad, eolLength)];
        _thread = new Thread(Loop) { IsBackground = true, Name = "fanout pumper" };
    }

    public void Start()
    {
        Array.Fill(_dirty, 1);
        _thread.Start();
        Wake();
    }

    /// <summary>Sender <paramref name="id"/> got deliveries credited: its window may have room.</summary>
    public void MarkDirty(int id)
    {
        if (Volatile.Read(ref _dirty[id]) == 0)
        {
            Volatile.Write(ref _dirty[id], 1);
            Wake();
        }
    }

    public void Stop()
    {
        _stop = true;
        Wake();
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    public void Dispose() => _wake.Dispose();

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _wake.Set();
        }
    }

    private void Loop()
    {
        while (!_stop)
        {
            _wake.Wait();
            _wake.Reset();
            // Cleared before the scan: a sender marked during it wakes us again.
            Volatile.Write(ref _wakeRequested, 0);
            for (var id = 0; id < _senders.Length; id++)
            {
                if (Volatile.Read(ref _dirty[id]) != 0 && Interlocked.Exchange(ref _dirty[id], 0) != 0)
                {
                    _senders[id].PumpWindow(_scratch);
                }
            }
        }
    }
}
