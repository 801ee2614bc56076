using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;

namespace ChatServer.Network.Tls;

/// <summary>
/// What a TLS listener does with an accepted socket before a client worker gets it: waits for the first
/// byte, tells a peer that speaks plain text (first byte not a TLS handshake record) in one line of the
/// listener's protocol that this port speaks TLS, and otherwise runs the server handshake over it with
/// TLS 1.2 or 1.3 only and the certificate of the moment. The whole of it is bounded by the handshake
/// timeout, and at most <c>maxPending</c> run at once, so peers that never finish cost a socket each for
/// a while and nothing more. Runs on the connection's own task, never in the accept loop.
/// </summary>
internal sealed class TlsHandshake
{
    /// <summary>The first byte of a TLS record carrying a handshake (a ClientHello).</summary>
    private const byte HandshakeRecord = 0x16;

    /// <summary>Reads of at most 1 KiB that drain a refused peer's input: a peer that keeps sending is reset instead.</summary>
    private const int MaxDrainReads = 64;

    private readonly ServerCertificate _certificate;
    private readonly TimeSpan _timeout;
    private readonly int _maxPending;
    private readonly byte[] _plainTextRefusal;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Cancelled when the host stops: handshakes still running end then, not at their timeout.</summary>
    private readonly CancellationTokenSource _closing = new();

    private int _pending;

    /// <summary>Creates the handshake of one TLS listener; <paramref name="plainTextRefusal"/> is the line (in the listener's protocol) a plain-text peer is sent.</summary>
    public TlsHandshake(ServerCertificate certificate, TimeSpan timeout, int maxPending, byte[] plainTextRefusal, ILogger logger, TimeProvider time)
    {
        _certificate = certificate;
        _timeout = timeout;
        _maxPending = maxPending;
        _plainTextRefusal = plainTextRefusal;
        _logger = logger;
        _time = time;
    }

    /// <summary>Handshakes running now.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Returns the authenticated stream over <paramref name="socket"/> (owning it), or null when the peer
    /// was refused, failed, left or timed out: then the socket is closed, and the caller gives back the
    /// slot it took for the peer.
    /// </summary>
    public async Task<SslStream?> AuthenticateAsync(Socket socket, EndPoint? remote)
    {
        if (Interlocked.Increment(ref _pending) > _maxPending)
        {
            Interlocked.Decrement(ref _pending);
            TlsLog.TooManyHandshakes(_logger, remote, _maxPending);
            socket.Dispose();
            return null;
        }

        try
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _closing.Token);
            if (!await StartsWithHandshakeAsync(socket, remote, linked.Token).ConfigureAwait(false))
            {
                return null;
            }

            return await HandshakeAsync(socket, remote, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Ends the handshakes still running (the host is stopping).</summary>
    public void CancelPending() => _closing.Cancel();

    private async Task<bool> StartsWithHandshakeAsync(Socket socket, EndPoint? remote, CancellationToken cancellationToken)
    {
        var first = new byte[1];
        try
        {
            SocketConnection.SetOptions(socket);
            if (await socket.ReceiveAsync(first, SocketFlags.Peek, cancellationToken).ConfigureAwait(false) == 0)
            {
                socket.Dispose();
                return false;
            }
        }
        catch (OperationCanceledException)
        {
            // Silent all along: most likely a person with nc or telnet waiting for a greeting.
            TlsLog.HandshakeTimedOut(_logger, remote, _timeout);
            RefusePlainText(socket);
            return false;
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            socket.Dispose();
            return false;
        }

        if (first[0] != HandshakeRecord)
        {
            TlsLog.NotTls(_logger, remote);
            RefusePlainText(socket);
            return false;
        }

        return true;
    }

    private async Task<SslStream?> HandshakeAsync(Socket socket, EndPoint? remote, CancellationToken cancellationToken)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = _certificate.Current.Context,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                },
                cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch (OperationCanceledException)
        {
            TlsLog.HandshakeTimedOut(_logger, remote, _timeout);
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException or SocketException or ObjectDisposedException)
        {
            // Garbage after a handshake byte, an old protocol version, a client that gave up: its own loss only.
            TlsLog.HandshakeFailed(_logger, remote, exception.InnerException?.Message ?? exception.Message);
        }

        await stream.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>Sends the plain-text refusal without waiting (a line fits the socket's buffer) and closes.</summary>
    private void RefusePlainText(Socket socket)
    {
        try
        {
            socket.Blocking = false;

            // What the peer sent is read away first: closing with unread input would reset the
            // connection, and the peer could lose the line before reading it.
            Span<byte> drain = stackalloc byte[1024];
            for (var reads = 0; reads < MaxDrainReads && socket.Available > 0 && socket.Receive(drain, SocketFlags.None, out _) > 0; reads++)
            {
            }

            socket.Send(_plainTextRefusal, SocketFlags.None, out _);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Gone already: closing is all that is left.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
