using System.Net;
using System.Net.Sockets;

namespace LoadGen.Net;

/// <summary>
/// One client connection of the line protocol. <see cref="RunAsync"/> connects, sends the
/// registration and reads until the connection ends, handing every line to a
/// <see cref="LineHandler"/> as a span of the connection's own receive buffer: nothing is allocated
/// per line or per read. <see cref="Send"/> writes at once when the socket can take it (the usual
/// case) and queues the rest for an asynchronous flush, like loadgen.c's write buffer.
/// </summary>
internal sealed class LineConnection
{
    private const int NoAbort = -1;
    private const int TcpQuickAck = 12;

    private static readonly byte[] s_one = BitConverter.GetBytes(1);

    private readonly Socket _socket;
    private readonly byte[] _receiveBuffer;
    private readonly LineHandler _handler;
    private readonly RunStats _stats;
    private readonly bool _quickAck;
    private readonly Lock _sendLock = new();

    // Bytes the socket could not take yet; guarded by _sendLock. _inFlight is being sent by _sendArgs.
    private byte[] _pending = [];
    private int _pendingCount;
    private byte[] _inFlight = [];
    private int _inFlightOffset;
    private int _inFlightCount;
    private SocketAsyncEventArgs? _sendArgs;
    private bool _flushing;

    private volatile bool _closed;
    private volatile ConnState _state;
    private int _abortReason = NoAbort;

    public LineConnection(int id, string nick, byte[] receiveBuffer, LineHandler handler, RunStats stats, bool quickAck, AddressFamily family)
    {
        Id = id;
        Nick = nick;
        _receiveBuffer = receiveBuffer;
        _handler = handler;
        _stats = stats;
        _quickAck = quickAck;
        _socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    }

    public int Id { get; }

    public string Nick { get; }

    public ConnState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>When <see cref="RunAsync"/> started connecting.</summary>
    public long StartNs { get; private set; }

    /// <summary>The sweeper aborts the connection when it is still registering (or quitting) after this.</summary>
    public long DeadlineNs { get; set; } = long.MaxValue;

    /// <summary>The server sent an error line while this connection registered.</summary>
    public bool RegistrationError { get; set; }

    /// <summary>Set by a handler (slow readers): the read loop stops after the current batch, the socket stays open.</summary>
    public bool StopReading { get; set; }

    public bool IsClosed => _closed;

    /// <summary>Whoever must send several pieces without another sender in between (a fan-out sender's sequence) holds this.</summary>
    public Lock SendLock => _sendLock;

    /// <summary>
    /// Connects, sends <paramref name="registration"/> and reads lines until the connection ends.
    /// Returns why it ended, or null when a handler set <see cref="StopReading"/> (the socket is then
    /// still open). Never throws for network errors.
    /// </summary>
    public async Task<LossReason?> RunAsync(EndPoint endPoint, ReadOnlyMemory<byte> registration, long registerTimeoutNs)
    {
        StartNs = Clock.NowNs();
        DeadlineNs = StartNs + registerTimeoutNs;
        State = ConnState.Connecting;
        try
        {
            // The ValueTask overload: no Task allocated per connect.
            await _socket.ConnectAsync(endPoint, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SocketException exception)
        {
            if (Volatile.Read(ref _abortReason) == NoAbort)
            {
                _stats.Sample(exception.Message);
            }

            return Finish(exception.SocketErrorCode == SocketError.ConnectionRefused ? LossReason.Refused : LossReason.Connect);
        }
        catch (ObjectDisposedException)
        {
            return Finish(LossReason.Connect);
        }

        if (_closed)
        {
            return Finish(LossReason.Other);
        }

        // Synchronous sends must never block a receive thread: they return WouldBlock instead and
        // the rest is flushed asynchronously. Asynchronous operations are not affected.
        _socket.Blocking = false;
        State = ConnState.Registering;
        Send(registration.Span);
        try
        {
            var filled = 0;
            while (true)
            {
                var received = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    return Finish(LossReason.Eof);
                }

                filled = HandleReceived(filled + received);
                if (_closed)
                {
                    return Finish(LossReason.Other);
                }

                if (StopReading)
                {
                    return null;
                }
            }
        }
        catch (SocketException exception)
        {
            return Finish(exception.SocketErrorCode == SocketError.ConnectionReset ? LossReason.Reset : LossReason.Other);
        }
        catch (ObjectDisposedException)
        {
            return Finish(LossReason.Other);
        }
    }

    /// <summary>Sends <paramref name="data"/> in order after everything sent before; a no-op once closed.</summary>
    public void Send(ReadOnlySpan<byte> data)
    {
        lock (_sendLock)
        {
            if (_closed)
            {
                return;
            }

            if (!_flushing)
            {
                while (!data.IsEmpty)
                {
                    var sent = _socket.Send(data, SocketFlags.None, out var error);
                    if (error == SocketError.WouldBlock)
                    {
                        break;
                    }

                    if (error != SocketError.Success)
                    {
                        Abort(LossReason.Reset);
                        return;
                    }

                    data = data[sent..];
                }

                if (data.IsEmpty)
                {
                    return;
                }
            }

            Queue(data);
            if (!_flushing)
            {
                _flushing = true;
                FlushLocked();
            }
        }
    }

    /// <summary>Ends the connection; <see cref="RunAsync"/> then reports <paramref name="reason"/>.</summary>
    public void Abort(LossReason reason)
    {
        Interlocked.CompareExchange(ref _abortReason, (int)reason, NoAbort);
        Close();
    }

    public void Close()
    {
        lock (_sendLock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        _socket.Dispose();
    }

    /// <summary>
    /// For a connection that stopped reading: reads and discards what the server sent, and tells
    /// whether the server had closed it (true) or it is still open (nothing more within 50 ms).
    /// </summary>
    public bool DrainFindsClosed(long deadlineNs)
    {
        try
        {
            while (Clock.NowNs() < deadlineNs)
            {
                if (!_socket.Poll(50_000, SelectMode.SelectRead))
                {
                    return false;
                }

                var received = _socket.Receive(_receiveBuffer, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock)
                {
                    continue;
                }

                if (error != SocketError.Success || received == 0)
                {
                    return true;
                }
            }

            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    // Hands every complete line in _receiveBuffer[0..end) to the handler; returns the length of the
    // partial line left, moved to the start of the buffer.
    private int HandleReceived(int end)
    {
        var nowNs = Clock.NowNs();
        if (_quickAck)
        {
            _socket.SetRawSocketOption((int)ProtocolType.Tcp, TcpQuickAck, s_one);
        }

        var buffer = _receiveBuffer;
        var start = 0;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            var length = newline > 0 && buffer[start + newline - 1] == '\r' ? newline - 1 : newline;
            _handler.OnLine(this, buffer.AsSpan(start, length), nowNs);
            start += newline + 1;
            if (_closed)
            {
                return 0;
            }
        }

        _handler.OnReceived(this);
        var rest = end - start;
        if (rest == buffer.Length)
        {
            // A line longer than the whole buffer: drop what there is of it.
            _stats.OverlongLine();
            return 0;
        }

        if (rest > 0 && start > 0)
        {
            buffer.AsSpan(start, rest).CopyTo(buffer);
        }

        return rest;
    }

    private LossReason Finish(LossReason observed)
    {
        var aborted = Volatile.Read(ref _abortReason);
        Close();
        return aborted == NoAbort ? observed : (LossReason)aborted;
    }

    private void Queue(ReadOnlySpan<byte> data)
    {
        if (_pendingCount + data.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(4096, Math.Max(_pending.Length * 2, _pendingCount + data.Length)));
        }

        data.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += data.Length;
    }

    // Sends _inFlight, then whatever was queued meanwhile, until the socket is busy or nothing is left.
    private void FlushLocked()
    {
        while (true)
        {
            if (_inFlightCount == 0)
            {
                if (_pendingCount == 0)
                {
                    _flushing = false;
                    return;
                }

                (_inFlight, _pending) = (_pending, _inFlight);
                _inFlightOffset = 0;
                _inFlightCount = _pendingCount;
                _pendingCount = 0;
            }

            if (_sendArgs is null)
            {
                _sendArgs = new SocketAsyncEventArgs();
                _sendArgs.Completed += (_, args) => OnSendCompleted(args);
            }

            _sendArgs.SetBuffer(_inFlight, _inFlightOffset, _inFlightCount);
            try
            {
                if (_socket.SendAsync(_sendArgs))
                {
                    return;
                }
            }
            catch (ObjectDisposedException)
            {
                _flushing = false;
                return;
            }

            if (!AdvanceLocked(_sendArgs))
            {
                return;
            }
        }
    }

    private bool AdvanceLocked(SocketAsyncEventArgs args)
    {
        if (_closed)
        {
            _flushing = false;
            return false;
        }

        if (args.SocketError != SocketError.Success)
        {
            _flushing = false;
            Abort(LossReason.Reset);
            return false;
        }

        _inFlightOffset += args.BytesTransferred;
        _inFlightCount -= args.BytesTransferred;
        return true;
    }

    private void OnSendCompleted(SocketAsyncEventArgs args)
    {
        lock (_sendLock)
        {
            if (AdvanceLocked(args))
            {
                FlushLocked();
            }
        }
    }
}
