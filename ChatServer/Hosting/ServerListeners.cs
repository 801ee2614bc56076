using System.Globalization;
using System.Net;
using ChatServer.Chat;
using ChatServer.Network;
using ChatServer.Network.Tls;
using ChatServer.Protocol;
using ChatServer.Protocol.Irc;
using Microsoft.Extensions.Logging;

namespace ChatServer.Hosting;

/// <summary>
/// The listening sockets of a server and the TLS certificate they serve. They belong to the host, not
/// to the acceptors (connections in a backlog outlive an acceptor crash), and are opened before the
/// tree starts, so that a port in use or an unreadable key is one clear error.
/// </summary>
internal sealed class ServerListeners : IDisposable
{
    private ServerListeners(IReadOnlyList<ChatListener> all, ServerCertificate? certificate)
    {
        All = all;
        Certificate = certificate;
    }

    /// <summary>The listeners: the line protocol's first, then IRC's, then the TLS ports'.</summary>
    public IReadOnlyList<ChatListener> All { get; }

    /// <summary>The certificate of the TLS ports, or null without one.</summary>
    public ServerCertificate? Certificate { get; }

    /// <summary>Loads the certificate if a TLS port is on and binds every port of <paramref name="options"/>; on failure nothing stays open.</summary>
    /// <exception cref="ListenerBindException">An address cannot be bound (e.g. the port is in use); it names which.</exception>
    /// <exception cref="TlsCertificateException">The TLS certificate or key cannot be loaded; it names the files.</exception>
    public static ServerListeners Open(ChatServerOptions options, ILoggerFactory loggers)
    {
        // One count per address across every port: the per-address limit is per person, not per protocol.
        var perAddress = new AddressCounter(options.MaxPerIp);
        var certificate = options.EnableTls ? new ServerCertificate(options.TlsCertificatePath!, options.TlsKeyPath!, options.TimeProvider) : null;
        var listeners = new List<ChatListener>();
        try
        {
            listeners.Add(new(ServiceNames.Acceptor, ListenerBindException.Open(options.ListenAddress, options.Port), ListenerProtocol.Line, perAddress));
            var irc = options.EnableIrc ? ListenerProtocol.Irc(new IrcServer(options)) : null;
            if (options.EffectiveIrcPort is { } ircPort && irc is not null)
            {
                listeners.Add(new(ServiceNames.IrcAcceptor, ListenerBindException.Open(options.ListenAddress, ircPort), irc, perAddress));
            }

            if (certificate is not null && options.TlsPort is { } tlsPort)
            {
                listeners.Add(TlsListener(ServiceNames.TlsAcceptor, tlsPort, ListenerProtocol.Line, "connect with: openssl s_client -quiet -connect HOST:{0}"));
            }

            if (certificate is not null && options.IrcTlsPort is { } ircTlsPort && irc is not null)
            {
                listeners.Add(TlsListener(ServiceNames.IrcTlsAcceptor, ircTlsPort, irc, "turn on your client's TLS (irssi: -tls), or use: openssl s_client -quiet -connect HOST:{0}"));
            }

            return new ServerListeners(listeners, certificate);
        }
        catch
        {
            foreach (var listener in listeners)
            {
                listener.Socket.Dispose();
            }

            throw;
        }

        // A TLS port: the plain-text refusal names the port a person reached, as bound.
        ChatListener TlsListener(string acceptor, int port, ListenerProtocol protocol, string howTo)
        {
            var socket = ListenerBindException.Open(options.ListenAddress, port);
            var bound = ((IPEndPoint)socket.LocalEndPoint!).Port;
            var refusal = protocol.Refusal($"this port speaks TLS; {string.Format(CultureInfo.InvariantCulture, howTo, bound)}");
            var handshake = new TlsHandshake(certificate!, options.TlsHandshakeTimeout, options.MaxClients, refusal, loggers.CreateLogger(TlsLog.Category), options.TimeProvider);
            return new(acceptor, socket, protocol, perAddress, handshake);
        }
    }

    /// <summary>Closes every socket and gives up the handshakes still running.</summary>
    public void Dispose()
    {
        foreach (var listener in All)
        {
            listener.Socket.Dispose();
            listener.Tls?.CancelPending();
        }
    }
}
