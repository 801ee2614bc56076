using System.Diagnostics;
using ChatServer.Network.Tls;
using ChatServer.Tests.Processes;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Tls;

public class TlsRefusalTests
{
    [Test]
    public async Task Plain_text_from_nc_on_the_TLS_port_gets_one_line_saying_so_and_is_closed()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await TestServer.StartWithTlsAsync(certificates);
        await using var nc = RunningProcess.Start(LineTools.Require("nc", "netcat-openbsd"), ["127.0.0.1", $"{server.TlsPort}"]);

        await nc.SendLineAsync("hello?");

        await nc.ExpectLineAsync($"! this port speaks TLS; connect with: openssl s_client -quiet -connect HOST:{server.TlsPort}");
        await using var other = await TlsConnector.ConnectAsync(server.TlsPort);
        other.Nick.Should().StartWith("guest", "the refusal harms nobody else");
    }

    [Test]
    public async Task Plain_text_on_the_IRC_TLS_port_gets_an_ERROR_line_and_is_closed()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await TestServer.StartWithTlsAsync(certificates);
        await using var client = await ChatClient.ConnectRawAsync(server.IrcTlsPort);

        await client.SendRawAsync("NICK plain\r\nUSER plain 0 * :Plain\r\n"u8.ToArray());

        var lines = await client.ExpectClosedAsync();
        lines.Should().Equal($"ERROR :this port speaks TLS; turn on your client's TLS (irssi: -tls), or use: openssl s_client -quiet -connect HOST:{server.IrcTlsPort}");
        client.Raw.WasReset.Should().BeFalse("the line is not lost to a reset");
    }

    [Test]
    public async Task Garbage_after_a_handshake_byte_closes_that_connection_and_harms_nobody()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await TestServer.StartWithTlsAsync(certificates, captureLogs: true);
        await using var alice = await TlsConnector.ConnectAsync(server.TlsPort);
        await using var bob = await server.ConnectAsync("bob");
        await using var garbage = await ChatClient.ConnectRawAsync(server.TlsPort);

        // A handshake record header, then bytes that are no ClientHello.
        await garbage.SendRawAsync([0x16, 0x03, 0x01, 0x00, 0x10, .. "not a hello at all"u8.ToArray()]);

        (await garbage.ExpectClosedAsync()).Should().BeEmpty("no chat line is sent before a handshake");
        await server.Logs.ExpectAsync(record => record.Id.Id == TlsLogEvents.HandshakeFailed);
        await alice.SendAsync("still here");
        await bob.ExpectAsync($"[#lobby] <{alice.Nick}> still here");
    }

    [Test]
    public async Task A_handshake_that_never_completes_holds_one_slot_until_the_timeout_while_others_chat()
    {
        var timeout = TimeSpan.FromSeconds(8);
        using var certificates = TestCertificates.Create();
        await using var server = await TestServer.StartWithTlsAsync(certificates, options => options with { MaxPerIp = 2, TlsHandshakeTimeout = timeout }, captureLogs: true);
        var clock = Stopwatch.StartNew();

        // Connects and sends nothing: it holds one of the address's two slots while its handshake may still come.
        await using var silent = await ChatClient.ConnectRawAsync(server.TlsPort, wait: TestServer.Wait + timeout);
        await using var alice = await TlsConnector.ConnectAsync(server.TlsPort);
        await using var third = await ChatClient.ConnectRawAsync(server.Port);
        (await third.ExpectClosedAsync()).Should().Equal(["! too many connections from your address"], "the silent handshake costs a slot");

        (await silent.ExpectClosedAsync()).Should().Equal($"! this port speaks TLS; connect with: openssl s_client -quiet -connect HOST:{server.TlsPort}");
        clock.Elapsed.Should().BeGreaterThan(timeout - TimeSpan.FromSeconds(0.5), "it was closed by the handshake timeout");
        server.Logs.WithId(TlsLogEvents.HandshakeTimedOut).Should().ContainSingle();

        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("the slot is free again");
        await bob.ExpectAsync($"[#lobby] <{alice.Nick}> the slot is free again");
    }

    [TestCase("-tls1_1")]
    [TestCase("-tls1")]
    public async Task An_openssl_client_limited_to_an_old_TLS_version_is_refused(string version)
    {
        using var certificates = TestCertificates.Create();
        await using var server = await TestServer.StartWithTlsAsync(certificates, captureLogs: true);

        // SECLEVEL=0 lets this OpenSSL offer the old version at all; the refusal must come from the server.
        await using var openssl = RunningProcess.Start(
            LineTools.Require("openssl", "openssl"),
            ["s_client", version, "-cipher", "DEFAULT@SECLEVEL=0", "-connect", $"127.0.0.1:{server.TlsPort}"]);
        var exitCode = await openssl.WaitForExitAsync();

        if (openssl.Stderr.Contains("no protocols available", StringComparison.Ordinal) || openssl.Stderr.Contains("unknown option", StringComparison.Ordinal))
        {
            Assert.Ignore($"this openssl cannot offer {version}: {openssl.Stderr.Trim()}");
        }

        exitCode.Should().NotBe(0, openssl.Transcript());
        openssl.Stderr.Should().Contain("alert protocol version", "the server answers an old version with a protocol_version alert");
        await server.Logs.ExpectAsync(record => record.Id.Id == TlsLogEvents.HandshakeFailed);
    }
}
