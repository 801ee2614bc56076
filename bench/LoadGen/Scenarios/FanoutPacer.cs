namespace LoadGen.Scenarios;

/// <summary>
/// Open loop (--rate): one thread that wakes every millisecond (loadgen.c's epoll timeout) and
/// sends every message that is due. Each of the S senders sends every S / rate seconds, the
/// senders staggered evenly, so the room gets --rate messages per second in total.
/// </summary>
internal sealed class FanoutPacer
{
    private readonly FanoutSender[] _senders;
    private readonly long _intervalNs;
    private readonly byte[] _scratch;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _maxLagNs;

    public FanoutPacer(FanoutSender[] senders, double rate, int pad, int eolLength)
    {
        _senders = senders;
        _intervalNs = Math.Max(1, (long)(1e9 * senders.Length / rate));
        _scratch = new byte[FanoutSender.ScratchSize(pad, eolLength)];
        _thread = new Thread(Loop) { IsBackground = true, Name = "fanout pacer" };
    }

    /// <summary>The most a message was sent after it was due.</summary>
    public long MaxLagNs => Interlocked.Read(ref _maxLagNs);

    public void Start(long nowNs)
    {
        for (var i = 0; i < _senders.Length; i++)
        {
            _senders[i].ScheduleFrom(nowNs + (i * _intervalNs / _senders.Length));
        }

        _thread.Start();
    }

    public void Stop()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    private void Loop()
    {
        while (!_stop)
        {
            var now = Clock.NowNs();
            foreach (var sender in _senders)
            {
                var lag = sender.SendDue(now, _intervalNs, _scratch);
                if (lag > _maxLagNs)
                {
                    Interlocked.Exchange(ref _maxLagNs, lag);
                }
            }

            Thread.Sleep(1);
        }
    }
}
