using ChatServer.Hosting;

namespace ChatServer.Tests.Tls;

public class TlsOptionTests
{
    [Test]
    public void TLS_is_off_by_default_with_a_10_second_handshake_timeout()
    {
        var defaults = ChatServerOptions.Defaults;

        defaults.TlsPort.Should().BeNull();
        defaults.IrcTlsPort.Should().BeNull();
        defaults.EnableTls.Should().BeFalse();
        defaults.TlsHandshakeTimeout.Should().Be(TimeSpan.FromSeconds(10));
    }

    [TestCase(0, null, null, null, "--tls-port and --irc-tls-port need --tls-cert and --tls-key (PEM files)")]
    [TestCase(null, 0, "c.pem", null, "--tls-port and --irc-tls-port need --tls-cert and --tls-key (PEM files)")]
    [TestCase(70000, null, "c.pem", "k.pem", "--tls-port must be 0 to 65535 (got 70000)")]
    [TestCase(null, -1, "c.pem", "k.pem", "--irc-tls-port must be 0 to 65535 (got -1)")]
    [TestCase(null, null, "c.pem", "k.pem", "--tls-cert and --tls-key need --tls-port or --irc-tls-port")]
    public void A_bad_TLS_option_is_named_in_the_error(int? tlsPort, int? ircTlsPort, string? certificate, string? key, string message)
    {
        var options = new ChatServerOptions { TlsPort = tlsPort, IrcTlsPort = ircTlsPort, TlsCertificatePath = certificate, TlsKeyPath = key };

        options.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Test]
    public void An_IRC_TLS_port_without_IRC_is_an_error_and_a_zero_timeout_too()
    {
        var noIrc = new ChatServerOptions { EnableIrc = false, IrcTlsPort = 6697, TlsCertificatePath = "c.pem", TlsKeyPath = "k.pem" };
        var zeroTimeout = new ChatServerOptions { TlsPort = 0, TlsCertificatePath = "c.pem", TlsKeyPath = "k.pem", TlsHandshakeTimeout = TimeSpan.Zero };

        noIrc.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().WithMessage("--irc-tls-port cannot be used with --no-irc");
        zeroTimeout.Invoking(o => o.Validate()).Should().Throw<ArgumentException>().WithMessage("--tls-handshake-timeout*must be positive*");
    }
}
