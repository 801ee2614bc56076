using System.Net;
using Microsoft.Extensions.Logging;

namespace ChatServer.Network.Tls;

/// <summary>The TLS ports' log lines.</summary>
internal static partial class TlsLog
{
    /// <summary>The log category.</summary>
    public const string Category = "ChatServer.Tls";

    [LoggerMessage(EventId = TlsLogEvents.HandshakeFailed, Level = LogLevel.Information, Message = "TLS handshake with {Remote} failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = TlsLogEvents.NotTls, Level = LogLevel.Warning, Message = "{Remote} sent plain text to a TLS port; told so and closed")]
    public static partial void NotTls(ILogger logger, EndPoint? remote);

    [LoggerMessage(EventId = TlsLogEvents.HandshakeTimedOut, Level = LogLevel.Information, Message = "TLS handshake with {Remote} did not finish within {Timeout}; closed")]
    public static partial void HandshakeTimedOut(ILogger logger, EndPoint? remote, TimeSpan timeout);

    [LoggerMessage(EventId = TlsLogEvents.CertificateReloaded, Level = LogLevel.Information, Message = "TLS certificate reloaded from {Path}: {Subject}, expires {NotAfter:u}")]
    public static partial void CertificateReloaded(ILogger logger, string path, string subject, DateTime notAfter);

    [LoggerMessage(EventId = TlsLogEvents.CertificateReloadFailed, Level = LogLevel.Warning, Message = "TLS certificate not reloaded, keeping the one that expires {NotAfter:u}: {Reason}")]
    public static partial void CertificateReloadFailed(ILogger logger, DateTime notAfter, string reason);

    [LoggerMessage(EventId = TlsLogEvents.WatcherFailed, Level = LogLevel.Warning, Message = "cannot watch {Directory} for certificate changes ({Reason}); checking every {Interval} instead")]
    public static partial void WatcherFailed(ILogger logger, string directory, string reason, TimeSpan interval);

    [LoggerMessage(EventId = TlsLogEvents.TooManyHandshakes, Level = LogLevel.Warning, Message = "refused {Remote}: {Pending} TLS handshakes already in progress")]
    public static partial void TooManyHandshakes(ILogger logger, EndPoint? remote, int pending);
}
