namespace ChatServer.Network.Tls;

/// <summary>The event ids of <see cref="TlsLog"/>'s lines (category <c>ChatServer.Tls</c>); docs/operations.md lists them.</summary>
internal static class TlsLogEvents
{
    public const int HandshakeFailed = 300;
    public const int NotTls = 301;
    public const int HandshakeTimedOut = 302;
    public const int CertificateReloaded = 303;
    public const int CertificateReloadFailed = 304;
    public const int WatcherFailed = 305;
    public const int TooManyHandshakes = 306;
}
