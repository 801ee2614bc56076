using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ChatServer.Tests.Support;

/// <summary>A finished TLS handshake: the client on it, the certificate the server presented, the protocol agreed.</summary>
public sealed record TlsSession(ChatClient Client, X509Certificate2 Certificate, SslProtocols Protocol);
