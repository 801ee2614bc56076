using System.Diagnostics;
using ChatServer.Observability;

namespace ChatServer.Network;

/// <summary>
/// The bytes queued for one peer, in pooled blocks, and the sending of them. The owner writes
/// (one writer at a time) and flushes; a flush hands the sending to the thread pool, which sends
/// what the socket takes without waiting and, only if the peer is slow, waits for the rest, while
/// writes go on queueing behind (and leave with it).
/// So lines written between two flushes leave in one send, and an idle connection holds no block
/// and no pending operation. The limits are IRC's sendq: a write that would pass them is refused,
/// and the owner cuts the peer off. After a send fails, <see cref="Seal"/> or <see cref="Abandon"/>, writes are dropped.
/// </summary>
internal sealed class SendQueue(Connection connection, SendQueueLimits limits) : IThreadPoolWorkItem
{
    /// <summary>
    /// The most blocks one send gathers: .NET's socket layer keeps up to 8 I/O vectors on the stack, so
    /// a send of up to 32 KiB costs one system call and no allocation.
    /// </summary>
    private const int MaxGatheredBlocks = 8;

    /// <summary>The blocks of one gathered send, reused by every send on the thread: filled and emptied with no await between.</summary>
    [ThreadStatic]
    private static List<ArraySegment<byte>>? t_gathered;

    /// <summary>The oldest block with bytes to send (its <see cref="BlockPool.Block.Start"/> is the next byte), or null when empty.</summary>
    private BlockPool.Block? _head;

    /// <summary>The block written to; the last of the chain from <see cref="_head"/>.</summary>
    private BlockPool.Block? _tail;

    /// <summary>Bytes written and not yet sent.</summary>
    private long _queuedBytes;

    /// <summary>LF bytes written and not yet sent.</summary>
    private long _queuedLines;

    /// <summary>Bytes written since the last <see cref="Flush"/>.</summary>
    private long _unflushedBytes;

    /// <summary>A send is running (the blocks from the head to <see cref="_sendingThrough"/> are in use by it).</summary>
    private bool _sending;

    /// <summary>The last block the running send reads from; null when none runs.</summary>
    private BlockPool.Block? _sendingThrough;

    /// <summary>A send failed or the queue was abandoned: nothing more is queued or sent.</summary>
    private bool _closed;

    /// <summary>Writes are dropped from now on; what is queued is still sent (<see cref="Seal"/>).</summary>
    private bool _sealed;

    /// <summary>Completed when the queue is empty or closed, for a waiting <see cref="DrainAsync"/>; null unless one waits.</summary>
    private TaskCompletionSource? _drained;

    private object Gate => this;

    /// <summary>Bytes queued and not yet sent.</summary>
    public long QueuedBytes
    {
        get
        {
            lock (Gate)
            {
                return _queuedBytes;
            }
        }
    }

    /// <summary>Lines queued and not yet sent.</summary>
    public long QueuedLines
    {
        get
        {
            lock (Gate)
            {
                return _queuedLines;
            }
        }
    }

    /// <summary>Bytes written since the last flush.</summary>
    public long UnflushedBytes => Volatile.Read(ref _unflushedBytes);

    /// <summary>
    /// Queues <paramref name="bytes"/>. False, queueing nothing, when that would pass a limit (its lines
    /// are its LF bytes, counted here as the sender counts them when they leave); true (and nothing
    /// queued) once the queue is closed or sealed.
    /// </summary>
    public bool Write(ReadOnlySpan<byte> bytes)
    {
        var lines = bytes.Count((byte)'\n');
        lock (Gate)
        {
            if (_closed || _sealed)
            {
                return true;
            }

            if (_queuedBytes + bytes.Length > limits.MaxBytes || _queuedLines + lines > limits.MaxLines)
            {
                return false;
            }

            _queuedBytes += bytes.Length;
            _queuedLines += lines;
            _unflushedBytes += bytes.Length;
            while (!bytes.IsEmpty)
            {
                if (_tail is null || _tail.Free == 0)
                {
                    Append(BlockPool.Instance.Rent());
                }

                var tail = _tail!;
                var part = Math.Min(tail.Free, bytes.Length);
                bytes[..part].CopyTo(tail.Array.AsSpan(tail.End));
                tail.End += part;
                bytes = bytes[part..];
            }

            return true;
        }
    }

    /// <summary>Starts sending what is queued, unless a send is running already (it takes the new bytes too). Never waits.</summary>
    public void Flush()
    {
        lock (Gate)
        {
            _unflushedBytes = 0;
            if (_sending || _closed || _head is null)
            {
                return;
            }

            _sending = true;
        }

        // On the thread pool, not inline: a flush often runs on a room's thread (its fan-out runs idle
        // recipients inline), and that thread must not make every recipient's send one after another.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <inheritdoc />
    void IThreadPoolWorkItem.Execute() => _ = SendQueuedAsync();

    /// <summary>Flushes and completes once everything queued is sent, the queue is closed, or <paramref name="timeout"/> passed (then false).</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        Flush();
        Task drained;
        lock (Gate)
        {
            if (_closed || _head is null)
            {
                return true;
            }

            if (_drained is { Task.IsCompleted: true })
            {
                // An earlier drain's signal: this one waits for the bytes queued since.
                _drained = null;
            }

            drained = (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        try
        {
            await drained.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Refuses (silently) what comes, and goes on sending what is queued: the peer passed a limit and is being cut off.</summary>
    public void Seal()
    {
        lock (Gate)
        {
            _sealed = true;
        }
    }

    /// <summary>Drops what is queued and refuses (silently) what comes; the connection is closing.</summary>
    public void Abandon()
    {
        lock (Gate)
        {
            _closed = true;

            // A running send still reads its blocks: the sender gives them back when it ends.
            ReleaseAll(keepThrough: _sendingThrough);
        }
    }

    private void Append(BlockPool.Block block)
    {
        if (_tail is null)
        {
            _head = block;
        }
        else
        {
            _tail.Next = block;
        }

        _tail = block;
    }

    /// <summary>
    /// Sends from the head until the queue is empty: what the socket takes at once goes in gathered sends of up
    /// to <see cref="MaxGatheredBlocks"/> blocks; only when it takes nothing does the sender wait, for the head block.
    /// </summary>
    private async Task SendQueuedAsync()
    {
        while (true)
        {
            var gathered = t_gathered ??= new List<ArraySegment<byte>>(MaxGatheredBlocks);
            BlockPool.Block head;
            int headStart;
            int headLength;
            lock (Gate)
            {
                if (_closed || _head is null)
                {
                    StopSending();
                    return;
                }

                head = _head;
                headStart = head.Start;
                headLength = head.End - head.Start;
                _sendingThrough = connection.SendsWithoutWaiting ? Gather(gathered) : head;
            }

            int sent;
            try
            {
                sent = 0;
                if (gathered.Count > 0)
                {
                    try
                    {
                        sent = connection.TrySend(gathered);
                    }
                    finally
                    {
                        // The list is the thread's: emptied before anything else runs on it (never after the await below).
                        gathered.Clear();
                    }
                }

                if (sent == 0)
                {
                    // The peer is slow (or the stream cannot send without waiting): wait for the head block alone.
                    lock (Gate)
                    {
                        _sendingThrough = head;
                    }

                    await connection.SendAsync(head.Array.AsMemory(headStart, headLength)).ConfigureAwait(false);
                    sent = headLength;
                }
            }
            catch (Exception)
            {
                // The peer is gone (or a stream underneath failed in its own way): nothing more can be sent, and
                // the receiver sees the end too and ends the connection's owner. Any exception: a send that
                // stayed marked as running would hold its blocks and every later drain for good.
                lock (Gate)
                {
                    _closed = true;
                    StopSending();
                }

                return;
            }

            var lines = 0;
            lock (Gate)
            {
                _sendingThrough = null;
                if (!_closed)
                {
                    lines = Sent(sent);
                }
            }

            // Once per send, outside the lock: what a listener costs is paid per send, not per line.
            ChatMetrics.LinesSent.Add(lines);
        }
    }

    /// <summary>Puts the queued bytes of up to <see cref="MaxGatheredBlocks"/> blocks from the head into <paramref name="gathered"/>; returns the last block taken.</summary>
    private BlockPool.Block Gather(List<ArraySegment<byte>> gathered)
    {
        var block = _head!;
        while (true)
        {
            gathered.Add(new ArraySegment<byte>(block.Array, block.Start, block.End - block.Start));
            if (block.Next is null || gathered.Count == MaxGatheredBlocks)
            {
                return block;
            }

            block = block.Next;
        }
    }

    /// <summary>Takes <paramref name="sent"/> bytes off the head, block by block; returns how many lines they held.</summary>
    private int Sent(int sent)
    {
        var lines = 0;
        while (sent > 0)
        {
            var block = _head!;
            var take = Math.Min(sent, block.End - block.Start);
            lines += Sent(block, block.Start, block.Start + take);
            sent -= take;
        }

        return lines;
    }

    /// <summary>Takes what was sent off the head; returns how many lines it held.</summary>
    private int Sent(BlockPool.Block block, int start, int end)
    {
        Debug.Assert(ReferenceEquals(block, _head), "only the sender takes blocks off the head");
        var lines = block.Array.AsSpan(start, end - start).Count((byte)'\n');
        _queuedBytes -= end - start;
        _queuedLines -= lines;
        block.Start = end;
        if (block.Start < block.End)
        {
            // Written to while it was being sent: the rest goes next.
            return lines;
        }

        _head = block.Next;
        block.Next = null;
        if (_head is null)
        {
            _tail = null;
        }

        block.Return();
        return lines;
    }

    private void StopSending()
    {
        _sending = false;
        _sendingThrough = null;
        if (_closed)
        {
            ReleaseAll(keepThrough: null);
        }

        if (_closed || _head is null)
        {
            _drained?.TrySetResult();
        }
    }

    /// <summary>Returns every queued block to the pool except the chain from the head through <paramref name="keepThrough"/> (a running send's).</summary>
    private void ReleaseAll(BlockPool.Block? keepThrough)
    {
        var block = keepThrough is null ? _head : keepThrough.Next;
        while (block is not null)
        {
            var next = block.Next;
            block.Next = null;
            block.Return();
            block = next;
        }

        if (keepThrough is null)
        {
            _head = null;
        }
        else
        {
            keepThrough.Next = null;
        }

        _tail = keepThrough;
        _queuedBytes = 0;
        _queuedLines = 0;
        _drained?.TrySetResult();
    }
}
