using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using ChatServer.Network.Tls;
using ChatServer.Tests.Processes;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Tls;

public class CertificateReloadTests
{
    [Test]
    public async Task A_renewed_certificate_swapped_in_by_symlink_is_presented_at_the_next_handshake_without_a_restart()
    {
        using var certificates = TestCertificates.Create();
        var first = certificates.Current;
        await using var server = await TestServer.StartWithTlsAsync(certificates, captureLogs: true);
        await using var alice = await TlsConnector.ConnectAsync(server.TlsPort);
        (await TlsConnector.PresentedCertificateAsync(server.TlsPort)).Thumbprint.Should().Be(first.Thumbprint);

        var renewed = certificates.Renew();

        var presented = await PresentedUntilAsync(server.TlsPort, renewed);
        presented.Thumbprint.Should().NotBe(first.Thumbprint);
        (await TlsConnector.PresentedCertificateAsync(server.IrcTlsPort)).Thumbprint.Should().Be(renewed.Thumbprint, "both TLS ports share the certificate");
        (await LineTools.PresentedToOpenSslAsync(server.TlsPort)).Thumbprint.Should().Be(renewed.Thumbprint, "openssl s_client is shown the renewed certificate too");
        server.Logs.WithId(TlsLogEvents.CertificateReloaded).Should().NotBeEmpty();

        // A connection made before the reload goes on.
        await alice.SendAsync("/ping still-here");
        await alice.ExpectAsync("* pong still-here");
    }

    [Test]
    public async Task A_half_written_certificate_keeps_the_one_in_use_and_logs_a_warning()
    {
        using var certificates = TestCertificates.Create();
        var first = certificates.Current;
        await using var server = await TestServer.StartWithTlsAsync(certificates, captureLogs: true);

        certificates.SwapInBrokenCertificate();

        await server.Logs.ExpectAsync(record => record.Id.Id == TlsLogEvents.CertificateReloadFailed, TestServer.Wait);
        (await TlsConnector.PresentedCertificateAsync(server.TlsPort)).Thumbprint.Should().Be(first.Thumbprint);
        var renewed = certificates.Renew();
        (await PresentedUntilAsync(server.TlsPort, renewed)).Thumbprint.Should().Be(renewed.Thumbprint, "a good file after a bad one is loaded");
    }

    [Test]
    public async Task The_expiry_gauge_reports_the_seconds_left_on_the_certificate()
    {
        var subject = $"expiry-{Guid.NewGuid():N}"[..30];
        using var certificates = TestCertificates.Create(subject, validFor: TimeSpan.FromDays(10));
        await using var server = await TestServer.StartWithTlsAsync(certificates);
        var expected = (certificates.Current.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalSeconds;

        var seconds = ObserveExpiry($"CN={subject}");

        seconds.Should().BeApproximately(expected, 60);
        seconds.Should().BeInRange(TimeSpan.FromDays(9).TotalSeconds, TimeSpan.FromDays(10).TotalSeconds);
    }

    /// <summary>Handshakes until the server presents <paramref name="expected"/>, failing after <see cref="TestServer.Wait"/>.</summary>
    private static async Task<X509Certificate2> PresentedUntilAsync(int port, X509Certificate2 expected)
    {
        // No signal leaves the server when it reloads: polled, with a deadline.
        var deadline = DateTime.UtcNow + TestServer.Wait;
        while (true)
        {
            var presented = await TlsConnector.PresentedCertificateAsync(port);
            if (presented.Thumbprint == expected.Thumbprint || DateTime.UtcNow > deadline)
            {
                return presented;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>One observation of the expiry gauge for the certificate <paramref name="subject"/>.</summary>
    private static double ObserveExpiry(string subject)
    {
        var seen = new List<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TlsMetrics.MeterName && instrument.Name == TlsMetrics.ExpiryName)
                {
                    instrument.Unit.Should().Be("s");
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == TlsMetrics.SubjectTag && Equals(tag.Value, subject))
                {
                    seen.Add(value);
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        seen.Should().ContainSingle($"the running server reports {subject} once");
        return seen[0];
    }
}
