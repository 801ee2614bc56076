using LoadGen.Net;

namespace LoadGen.Scenarios;

/// <summary>
/// The receiving side of one member: counts every payload exactly (a bit per sender and sequence
/// number for duplicates, the last sequence per sender for order), records its latency, and once
/// per read credits the senders it heard from and tops up their windows. Only this member's read
/// loop touches this state, so none of it needs a lock.
/// </summary>
internal sealed class FanoutReceiver : LineHandler
{
    private readonly FanoutRoom _room;
    private readonly int _id;
    private readonly Action<LineConnection, long> _onRegistered;
    private readonly bool _counts;
    private readonly ulong[]? _seen;
    private readonly int[] _lastSeq;
    private readonly int[] _batchCounts;
    private readonly int[] _batchSenders;
    private readonly byte[] _scratch;
    private int _batchSenderCount;
    private Histogram? _latency;
    private long _received;
    private long _duplicates;
    private long _outOfOrder;
    private long _selfEcho;
    private long _badPayload;
    private long _lastReceiveNs;

    public FanoutReceiver(FanoutRoom room, int id, Action<LineConnection, long> onRegistered)
        : base(room.Stats)
    {
        _room = room;
        _id = id;
        _onRegistered = onRegistered;
        _counts = room.Counts(id);
        _seen = room.ExactDuplicates ? new ulong[(((long)room.Clients * room.Msgs) + 63) / 64] : null;
        _lastSeq = new int[room.Clients];
        Array.Fill(_lastSeq, -1);
        _batchCounts = new int[room.Clients];
        _batchSenders = new int[room.Clients];
        _scratch = new byte[FanoutSender.ScratchSize(room.Pad, room.Eol.Length)];
    }

    public long Received => Volatile.Read(ref _received);

    public long Duplicates => Volatile.Read(ref _duplicates);

    public long OutOfOrder => Volatile.Read(ref _outOfOrder);

    public long SelfEcho => Volatile.Read(ref _selfEcho);

    public long BadPayload => Volatile.Read(ref _badPayload);

    public long LastReceiveNs => Volatile.Read(ref _lastReceiveNs);

    public override void OnReceived(LineConnection connection)
    {
        _latency = null;
        for (var i = 0; i < _batchSenderCount; i++)
        {
            var sender = _batchSenders[i];
            var target = _room.Senders[sender]!;
            target.AddDelivered(_batchCounts[sender]);
            _batchCounts[sender] = 0;
            if (_room.ClosedLoop)
            {
                target.PumpWindow(_scratch);
            }
        }

        _batchSenderCount = 0;
    }

    protected override void OnRegistered(LineConnection connection, long nowNs) => _onRegistered(connection, nowNs);

    protected override void OnPayload(LineConnection connection, uint sender, uint seq, long sentNs, long nowNs)
    {
        if (!_room.Running)
        {
            Stats.OtherLine();
            return;
        }

        if (!_counts)
        {
            return; // a send-only member (--senders) reads its socket and counts nothing
        }

        if (sender >= (uint)_room.SenderCount || seq >= (uint)_room.Msgs)
        {
            _badPayload++;
            return;
        }

        var s = (int)sender;
        var q = (int)seq;
        if (s == _id)
        {
            _selfEcho++;
            return;
        }

        var last = _lastSeq[s];
        if (_seen is not null)
        {
            var bit = ((long)s * _room.Msgs) + q;
            ref var word = ref _seen[bit >> 6];
            var mask = 1UL << (int)(bit & 63);
            if ((word & mask) != 0)
            {
                _duplicates++;
                return;
            }

            word |= mask;
        }
        else if (q == last)
        {
            _duplicates++;
            return;
        }

        if (q < last)
        {
            _outOfOrder++;
        }
        else
        {
            _lastSeq[s] = q;
        }

        _received++;
        if (_batchCounts[s]++ == 0)
        {
            _batchSenders[_batchSenderCount++] = s;
        }

        // One histogram per thread, fetched once per read: the latency is receive time minus send time.
        (_latency ??= _room.Latency.Current).Add(nowNs - sentNs);
        _lastReceiveNs = nowNs;
    }
}
