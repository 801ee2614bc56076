namespace LoadGen.Scenarios;

/// <summary>
/// What the members of one fan-out room share: the sizes of the run, the senders (receivers credit
/// them with deliveries), the latency histograms and whether the measured run has started.
/// Members 0..Readers-1 read and send; the last <see cref="SlowReaders"/> members only register.
/// With --senders N, members 0..N-1 only send (they read and count nothing) and N..Readers-1 only receive.
/// </summary>
internal sealed class FanoutRoom(Options options, RunStats stats) : IDisposable
{
    private volatile bool _running;

    public RunStats Stats { get; } = stats;

    public int Clients { get; } = options.Clients;

    public int SlowReaders { get; } = options.SlowReaderCount;

    public int Readers => Clients - SlowReaders;

    /// <summary>With --senders: members 0..<see cref="SenderCount"/>-1 send and count nothing.</summary>
    public bool SendOnly { get; } = options.Senders > 0;

    /// <summary>The members that send: the first --senders, or every reading member.</summary>
    public int SenderCount => SendOnly ? options.Senders : Readers;

    /// <summary>The members that count what they receive: the reading members that are not send-only.</summary>
    public int Receivers => SendOnly ? Readers - SenderCount : Readers;

    public int Msgs { get; } = options.Msgs;

    public int Window { get; } = options.Window;

    /// <summary>Closed loop: receivers top up a sender's window as its messages arrive.</summary>
    public bool ClosedLoop { get; } = options.Rate <= 0;

    public int Pad { get; } = options.Pad;

    public byte[] Eol { get; } = options.Eol;

    /// <summary>Every message goes to every counting member but its sender (send-only senders count nothing).</summary>
    public int DeliveriesPerMessage => SendOnly ? Receivers : Readers - 1;

    /// <summary>Whether member <paramref name="id"/> counts what it receives.</summary>
    public bool Counts(int id) => id < Readers && !(SendOnly && id < SenderCount);

    /// <summary>Indexed by member id; null for slow readers. Set before the first connection starts.</summary>
    public FanoutSender?[] Senders { get; } = new FanoutSender?[options.Clients];

    public PerThreadHistogram Latency { get; } = new();

    /// <summary>Payloads count from here on; before, they are "other lines", as in loadgen.c.</summary>
    public bool Running
    {
        get => _running;
        set => _running = value;
    }

    /// <summary>
    /// Exact duplicate detection keeps one bit per (receiver, sender, seq) when that fits in
    /// loadgen.c's limit of 2^31 bits; above it, duplicates are seen only when adjacent.
    /// </summary>
    public bool ExactDuplicates => (long)Clients * Clients * Msgs <= 1L << 31;

    public void Dispose() => Latency.Dispose();
}
