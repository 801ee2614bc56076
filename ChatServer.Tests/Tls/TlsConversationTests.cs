using System.Security.Authentication;
using ChatServer.Tests.Processes;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Tls;

public class TlsConversationTests
{
    [Test]
    public async Task An_openssl_user_and_an_nc_user_talk_in_the_lobby_both_ways()
    {
        using var certificates = TestCertificates.Create();
        var (server, port) = await ServerProcess.StartAsync("--tls-port", "0", "--tls-cert", certificates.CertificatePath, "--tls-key", certificates.KeyPath);
        await using var _ = server;
        var tlsPort = await ServerProcess.ReadTlsPortAsync(server);
        await using var alice = await LineTools.ConnectOpenSslAsync(tlsPort);
        await using var bob = await LineTools.ConnectNetcatAsync(port);
        await LineTools.NickAsync(alice, "alice");
        await LineTools.NickAsync(bob, "bob");

        await alice.SendLineAsync("hello from openssl s_client");
        await bob.ExpectLineAsync("[#lobby] <alice> hello from openssl s_client");
        await bob.SendLineAsync("hi alice, plain nc here");
        await alice.ExpectLineAsync("[#lobby] <bob> hi alice, plain nc here");
    }

    [Test]
    public async Task The_CHAT_TLS_variables_work_like_the_options()
    {
        using var certificates = TestCertificates.Create();
        await using var server = ServerProcess.Launch(
            ["--port", "0", "--bind", "127.0.0.1"],
            new Dictionary<string, string?>
            {
                ["CHAT_TLS_PORT"] = "0",
                ["CHAT_IRC_TLS_PORT"] = "0",
                ["CHAT_TLS_CERT"] = certificates.CertificatePath,
                ["CHAT_TLS_KEY"] = certificates.KeyPath,
                ["CHAT_TLS_HANDSHAKE_TIMEOUT"] = "5",
            });

        var tlsPort = await ServerProcess.ReadTlsPortAsync(server);
        var ircTlsPort = await ServerProcess.ReadIrcTlsPortAsync(server);

        await using var alice = await TlsConnector.ConnectAsync(tlsPort);
        alice.Nick.Should().StartWith("guest");
        await using var bob = await TlsConnector.ConnectIrcAsync(ircTlsPort, "bob");
        (await bob.CommandAsync("JOIN #lobby")).Should().Contain(reply => reply.Command == "JOIN");
    }

    [Test]
    public async Task A_TLS_client_and_a_plain_client_talk_in_a_room_both_ways()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await TestServer.StartWithTlsAsync(certificates);
        var session = await TlsConnector.ConnectRawAsync(server.TlsPort);
        await using var alice = session.Client;
        await alice.ExpectGreetingAsync();
        await using var bob = await server.ConnectAsync("bob");

        session.Protocol.Should().BeOneOf(SslProtocols.Tls12, SslProtocols.Tls13);
        session.Certificate.Thumbprint.Should().Be(certificates.Current.Thumbprint);
        await alice.SendAsync("/nick alice");
        await alice.ExpectAsync("* you are now known as alice");
        await alice.CommandAsync("/join #secure");
        await bob.CommandAsync("/join #secure");

        await alice.SendAsync("over TLS ✓ привет");
        await bob.ExpectAsync("[#secure] <alice> over TLS ✓ привет");
        await bob.SendAsync("over plain TCP");
        await alice.ExpectAsync("[#secure] <bob> over plain TCP");
    }

    [Test]
    public async Task An_IRC_client_over_TLS_registers_and_talks_with_a_plain_IRC_client()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await TestServer.StartWithTlsAsync(certificates);
        await using var alice = await TlsConnector.ConnectIrcAsync(server.IrcTlsPort, "alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #secure");
        await bob.CommandAsync("JOIN #secure");
        await alice.SyncAsync();

        await alice.SendAsync("PRIVMSG #secure :hello over TLS");
        var heard = await bob.ExpectAsync("PRIVMSG");
        await bob.SendAsync("PRIVMSG #secure :hello in the clear");
        var answer = await alice.ExpectAsync("PRIVMSG");

        heard.SourceNick.Should().Be("alice");
        heard.Params.Should().Equal("#secure", "hello over TLS");
        answer.SourceNick.Should().Be("bob");
        answer.Params.Should().Equal("#secure", "hello in the clear");
    }

    [Test]
    public async Task An_IRC_client_through_openssl_registers_on_the_IRC_TLS_port()
    {
        using var certificates = TestCertificates.Create();
        await using var server = await TestServer.StartWithTlsAsync(certificates);
        await using var openssl = RunningProcess.Start(
            LineTools.Require("openssl", "openssl"),
            ["s_client", "-quiet", "-crlf", "-connect", $"127.0.0.1:{server.IrcTlsPort}"]);

        await openssl.SendLineAsync("NICK carol");
        await openssl.SendLineAsync("USER carol 0 * :Carol");

        await openssl.ExpectLineAsync(l => l.Contains(" 001 carol ", StringComparison.Ordinal), "the 001 welcome");
    }
}
