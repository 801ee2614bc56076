using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ChatServer.Network.Tls;

/// <summary>
/// The TLS instruments, on the meter <c>ChatServer.Tls</c>: <c>chat.tls.certificate.expiry</c>, the seconds
/// until the presented certificate's NotAfter (negative once expired), tagged with its subject, so
/// an alert can fire while there is time to renew. One static meter, as the cluster's; each running
/// host adds its certificate while it runs.
/// </summary>
internal static class TlsMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ChatServer.Tls";

    /// <summary>The expiry gauge's name.</summary>
    public const string ExpiryName = "chat.tls.certificate.expiry";

    /// <summary>The tag that names the certificate (its subject, e.g. <c>CN=chat.example.org</c>): one value per configured certificate.</summary>
    public const string SubjectTag = "tls.certificate.subject";

    private static readonly ConcurrentDictionary<ServerCertificate, bool> s_certificates = new();
    private static readonly Meter s_meter = new(MeterName);

    private static readonly ObservableGauge<double> s_expiry = s_meter.CreateObservableGauge(
        ExpiryName, ObserveExpiry, "s", "seconds until the TLS certificate presented now expires; negative once it has");

    /// <summary>Reports <paramref name="certificate"/> (whatever it holds at each observation) until the result is disposed.</summary>
    public static IDisposable Track(ServerCertificate certificate)
    {
        GC.KeepAlive(s_expiry);
        s_certificates[certificate] = true;
        return new Tracking(certificate);
    }

    private static IEnumerable<Measurement<double>> ObserveExpiry() =>
        s_certificates.Keys.Select(certificate => new Measurement<double>(
            certificate.ExpiresIn.TotalSeconds,
            new KeyValuePair<string, object?>(SubjectTag, certificate.Current.Leaf.Subject)));

    private sealed class Tracking(ServerCertificate certificate) : IDisposable
    {
        public void Dispose() => s_certificates.TryRemove(certificate, out _);
    }
}
