using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ChatServer.Tests.Support;

/// <summary>
/// TLS clients for the tests, over real loopback sockets with <see cref="SslStream"/>: they accept the
/// server's self-signed test certificate and remember it, so a test can see which one was presented.
/// </summary>
public static class TlsConnector
{
    /// <summary>Connects to the TLS port <paramref name="port"/> and finishes the handshake; the client reads nothing yet.</summary>
    public static async Task<TlsSession> ConnectRawAsync(int port, SslProtocols protocols = SslProtocols.None)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(ChatClient.DefaultWait);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            X509Certificate2? presented = null;
            await stream.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    EnabledSslProtocols = protocols,

                    // A self-signed test certificate: accepted, and kept to compare.
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                        return true;
                    },
                },
                timeout.Token);
            return new TlsSession(ChatClient.Over(socket, stream), presented!, stream.SslProtocol);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects over TLS to the line protocol and reads the greeting.</summary>
    public static async Task<ChatClient> ConnectAsync(int port)
    {
        var session = await ConnectRawAsync(port);
        try
        {
            await session.Client.ExpectGreetingAsync();
            return session.Client;
        }
        catch
        {
            await session.Client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects over TLS to IRC and registers as <paramref name="nick"/>.</summary>
    public static async Task<IrcClient> ConnectIrcAsync(int port, string nick)
    {
        var irc = IrcClient.Over((await ConnectRawAsync(port)).Client);
        try
        {
            await irc.RegisterAsync(nick);
            return irc;
        }
        catch
        {
            await irc.DisposeAsync();
            throw;
        }
    }

    /// <summary>The certificate the server presents now: one handshake, then closed.</summary>
    public static async Task<X509Certificate2> PresentedCertificateAsync(int port)
    {
        var session = await ConnectRawAsync(port);
        await session.Client.DisposeAsync();
        return session.Certificate;
    }
}
