using System.Net;

namespace ChatServer.Network;

/// <summary>
/// One accepted connection as the layers above see it: bytes in (a zero-byte wait until data
/// arrives, then a receive into a pooled block), bytes out through a bounded <see cref="SendQueue"/>,
/// and a close. Underneath is a socket (<see cref="SocketConnection"/>) or any duplex stream
/// (<see cref="StreamConnection"/>, e.g. TLS). Knows nothing of lines, chat or clients.
/// </summary>
internal abstract class Connection
{
    /// <summary>Released when the connection closes (the per-address slot it took at accept), or null.</summary>
    private IDisposable? _lease;

    /// <summary>Creates the connection; <paramref name="lease"/> is released on <see cref="Close"/>.</summary>
    protected Connection(EndPoint? remoteEndPoint, SendQueueLimits limits, IDisposable? lease)
    {
        RemoteEndPoint = remoteEndPoint;
        _lease = lease;
        Output = new SendQueue(this, limits);
    }

    /// <summary>The peer's end point, for logs.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>What is queued for the peer.</summary>
    public SendQueue Output { get; }

    /// <summary>
    /// Completes when bytes can be received or the connection ended, holding no buffer meanwhile (a
    /// zero-byte receive). Ends only by data, the peer, or <see cref="Close"/>: an idle connection
    /// costs no cancellation registration. Throws <see cref="IOException"/> (or a socket or disposed
    /// exception underneath) when the connection failed or was closed.
    /// </summary>
    public abstract ValueTask<int> WaitReadableAsync();

    /// <summary>Receives into <paramref name="buffer"/>; 0 when the peer closed. Throws as <see cref="WaitReadableAsync"/>.</summary>
    public abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer);

    /// <summary>Copies bytes that have already arrived into <paramref name="head"/> without consuming them; 0 if none (or not supported).</summary>
    public virtual int Peek(Span<byte> head) => 0;

    /// <summary>Closes both directions at once, dropping whatever is still queued; idempotent.</summary>
    public void Close()
    {
        try
        {
            Output.Abandon();
            CloseTransport();
        }
        finally
        {
            Interlocked.Exchange(ref _lease, null)?.Dispose();
        }
    }

    /// <summary>Whether <see cref="TrySend"/> can send anything (a socket can; a stream only sends by waiting).</summary>
    internal virtual bool SendsWithoutWaiting => false;

    /// <summary>
    /// Sends what can be sent of <paramref name="segments"/>, in order, without waiting; returns how many bytes went
    /// (0 when <see cref="SendsWithoutWaiting"/> is false). Throws when the connection failed.
    /// </summary>
    internal virtual int TrySend(IList<ArraySegment<byte>> segments) => 0;

    /// <summary>Sends all of <paramref name="bytes"/>, waiting for the peer to read. Throws when the connection failed.</summary>
    internal abstract ValueTask SendAsync(ReadOnlyMemory<byte> bytes);

    /// <summary>Closes the socket or stream; idempotent, never throws.</summary>
    protected abstract void CloseTransport();
}
