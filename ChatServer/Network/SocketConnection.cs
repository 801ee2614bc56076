using System.Net.Sockets;

namespace ChatServer.Network;

/// <summary>
/// A connection on an accepted socket, in the manner of Kestrel's socket transport: the socket's own
/// reusable receive operation (a zero-byte receive while idle, so no buffer is held), and sends that go
/// out synchronously while the kernel takes them (non-blocking), falling back to an awaited send only
/// for a peer that does not keep up.
/// </summary>
internal sealed class SocketConnection : Connection
{
    // Keepalive finds a peer that vanished without a FIN after about 60 + 5 × 10 s of silence.
    private const int KeepAliveIdleSeconds = 60;
    private const int KeepAliveIntervalSeconds = 10;
    private const int KeepAliveProbes = 5;

    private readonly Socket _socket;

    /// <summary>Takes ownership of <paramref name="socket"/> and sets its options.</summary>
    /// <exception cref="SocketException">The peer reset the connection already.</exception>
    public SocketConnection(Socket socket, SendQueueLimits limits, IDisposable? lease)
        : base(socket.RemoteEndPoint, limits, lease)
    {
        _socket = socket;
        _socket.Blocking = false;
        SetOptions(socket);
    }

    /// <summary>Sets what every accepted socket gets, TLS ones too: no Nagle delay, and keepalive.</summary>
    /// <exception cref="SocketException">The peer reset the connection already.</exception>
    public static void SetOptions(Socket socket)
    {
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, KeepAliveIdleSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, KeepAliveIntervalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, KeepAliveProbes);
    }

    /// <inheritdoc />
    public override ValueTask<int> WaitReadableAsync() => _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);

    /// <inheritdoc />
    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer) => _socket.ReceiveAsync(buffer, SocketFlags.None);

    /// <inheritdoc />
    public override int Peek(Span<byte> head)
    {
        try
        {
            return _socket.Available == 0 ? 0 : _socket.Receive(head, SocketFlags.Peek);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Reset already: the receiver will see the close.
            return 0;
        }
    }

    /// <inheritdoc />
    internal override bool SendsWithoutWaiting => true;

    /// <inheritdoc />
    internal override int TrySend(IList<ArraySegment<byte>> segments)
    {
        // One system call for all of them (the socket is non-blocking: it takes what fits and never waits); a
        // single segment by the span overload, which pins nothing.
        var sent = segments.Count == 1
            ? _socket.Send(segments[0], SocketFlags.None, out var error)
            : _socket.Send(segments, SocketFlags.None, out error);
        return error switch
        {
            SocketError.Success => sent,
            SocketError.WouldBlock => 0,
            _ => throw new SocketException((int)error),
        };
    }

    /// <inheritdoc />
    internal override async ValueTask SendAsync(ReadOnlyMemory<byte> bytes) =>
        await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);

    /// <inheritdoc />
    protected override void CloseTransport()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer or a kill.
        }

        _socket.Dispose();
    }
}
