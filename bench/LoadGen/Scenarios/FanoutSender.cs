using LoadGen.Net;

namespace LoadGen.Scenarios;

/// <summary>
/// The sending side of a reading member: sequence numbers, the in-flight window and the send
/// times. Messages are formatted straight into the caller's scratch buffer and sent in batches of
/// up to 64 with one timestamp, as loadgen.c does; all under the connection's send lock, so that
/// the sequence stays in order whichever thread tops the window up.
/// </summary>
internal sealed class FanoutSender(FanoutRoom room, int id, LineConnection connection)
{
    private const int Batch = 64;

    private readonly int _refill = Math.Max(1, room.Window / 2);

    private int _sent;
    private long _delivered;
    private long _firstSendNs;
    private long _lastSendNs;
    private long _nextDueNs;

    public LineConnection Connection { get; } = connection;

    public int Sent => Volatile.Read(ref _sent);

    public long FirstSendNs => Interlocked.Read(ref _firstSendNs);

    public long LastSendNs => Interlocked.Read(ref _lastSendNs);

    public bool CanSend => Connection.State == ConnState.Ready && !Connection.IsClosed;

    /// <summary>Bytes a scratch buffer needs for one batch.</summary>
    public static int ScratchSize(int pad, int eolLength) => Batch * (Payload.MaxUnpaddedLength + pad + eolLength);

    /// <summary>Receivers credit the deliveries of this sender's messages (once per read, not per line).</summary>
    public void AddDelivered(int count) => Interlocked.Add(ref _delivered, count);

    /// <summary>
    /// Closed loop: sends as many messages as the window allows, once at least half the window
    /// (or all that is left to send) is free. loadgen.c tops windows up once per epoll round, after
    /// it has read from every ready socket, so a sender's write carries many messages; topping up
    /// after every read instead would send about one message per write (a delivery frees 1/(R-1)
    /// of a message) and multiply the writes, for the server and for us. Half a window keeps the
    /// writes big without a second thread.
    /// </summary>
    public void PumpWindow(byte[] scratch, bool initial = false)
    {
        lock (Connection.SendLock)
        {
            var left = room.Msgs - _sent;
            if (!CanSend || left <= 0)
            {
                return;
            }

            var count = Allowed(left);
            if (count > 0 && (initial || count >= Math.Min(_refill, left)))
            {
                SendLocked(count, scratch);
            }
        }
    }

    /// <summary>Fixed rate: the first message is due at <paramref name="firstDueNs"/>, then one every interval.</summary>
    public void ScheduleFrom(long firstDueNs) => _nextDueNs = firstDueNs;

    /// <summary>Fixed rate: sends the messages due by <paramref name="nowNs"/>; returns how late the oldest was, or -1.</summary>
    public long SendDue(long nowNs, long intervalNs, byte[] scratch)
    {
        lock (Connection.SendLock)
        {
            if (!CanSend || _sent >= room.Msgs)
            {
                return -1;
            }

            var count = 0;
            for (var due = _nextDueNs; due <= nowNs && _sent + count < room.Msgs; due += intervalNs)
            {
                count++;
            }

            if (count > 0 && room.Window > 0)
            {
                count = Allowed(count);
            }

            if (count == 0)
            {
                return -1;
            }

            var lag = nowNs - _nextDueNs;
            _nextDueNs += count * intervalNs;
            SendLocked(count, scratch);
            return lag;
        }
    }

    // In flight = sent minus the messages every reader has had, on average (loadgen.c's measure).
    private int Allowed(int wanted)
    {
        if (room.Window <= 0)
        {
            return wanted;
        }

        var done = Interlocked.Read(ref _delivered) / room.DeliveriesPerMessage;
        var inFlight = Math.Max(0, _sent - done);
        return (int)Math.Clamp(room.Window - inFlight, 0, wanted);
    }

    private void SendLocked(int count, byte[] scratch)
    {
        while (count > 0 && CanSend)
        {
            var batch = Math.Min(count, Batch);
            var now = Clock.NowNs();
            var length = 0;
            for (var i = 0; i < batch; i++)
            {
                length += Payload.Format(scratch.AsSpan(length), (uint)id, (uint)(_sent + i), now, room.Pad, room.Eol);
            }

            Volatile.Write(ref _sent, _sent + batch);
            if (_firstSendNs == 0)
            {
                Interlocked.Exchange(ref _firstSendNs, now);
            }

            Interlocked.Exchange(ref _lastSendNs, now);
            Connection.Send(scratch.AsSpan(0, length));
            count -= batch;
        }
    }
}
