using System.Net;

namespace ChatServer.Network;

/// <summary>
/// A connection over any duplex stream (a TLS stream over a socket, an in-memory pipe in tests).
/// Zero-byte reads are passed on to the stream (SslStream and NetworkStream honour them, so an
/// idle TLS connection holds no buffer either); every send is awaited.
/// </summary>
internal sealed class StreamConnection(Stream stream, EndPoint? remoteEndPoint, SendQueueLimits limits, IDisposable? lease)
    : Connection(remoteEndPoint, limits, lease)
{
    /// <inheritdoc />
    public override ValueTask<int> WaitReadableAsync() => stream.ReadAsync(Memory<byte>.Empty);

    /// <inheritdoc />
    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer) => stream.ReadAsync(buffer);

    /// <inheritdoc />
    internal override async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await stream.WriteAsync(bytes).ConfigureAwait(false);
        await stream.FlushAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void CloseTransport()
    {
        try
        {
            stream.Dispose();
        }
        catch (Exception)
        {
            // A stream that fails to close (a TLS close_notify to a gone peer) is closed as far as it goes.
        }
    }
}
