using System.Text;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.BadInput;

public class WrongProtocolTests
{
    private const string NotHttp = "! this port speaks the SupervisedChat line protocol, not HTTP; connect with nc or telnet";
    private const string NotTls = "! this port speaks the SupervisedChat line protocol, not TLS; connect with nc or telnet";

    // Threat: a browser or HTTP client on the chat port taken as a chatter (its headers relayed to the lobby) instead of told and closed.
    [TestCase("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [TestCase("POST /api/send HTTP/1.0\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")]
    [TestCase("HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n")]
    public async Task An_http_request_gets_one_plain_line_saying_what_this_port_is_and_is_closed(string request)
    {
        await using var server = await TestServer.StartAsync();
        await using var observer = await server.ConnectAsync("observer");
        await using var browser = await server.ConnectAsync();
        var greeted = browser.Raw.Lines.Count;

        await browser.SendRawAsync(Encoding.ASCII.GetBytes(request));
        await browser.ExpectClosedAsync();

        browser.Raw.Lines.Skip(greeted).Should().Equal(NotHttp);
        browser.Raw.WasReset.Should().BeFalse("an orderly close, not a reset that could make the client drop the line");
        browser.Raw.Received.Should().EndWith(Encoding.UTF8.GetBytes(NotHttp + "\r\n"), "nothing follows the line but the close");
        await AssertServerStillServesAsync(server, observer, forbidden: ["Host", "hello", "Content", "/index", "/api"]);
    }

    // Threat: a TLS client (https, openssl s_client) on the chat port: its binary handshake taken as chat instead of told and closed.
    [Test]
    public async Task A_tls_client_hello_gets_one_plain_line_saying_what_this_port_is_and_is_closed()
    {
        await using var server = await TestServer.StartAsync();
        await using var observer = await server.ConnectAsync("observer");
        await using var tls = await server.ConnectAsync();
        var greeted = tls.Raw.Lines.Count;

        // A TLS record header (handshake 0x16, version 3.1, length) and the start of a ClientHello, with random bytes and a newline inside.
        var random = new Random(1234);
        var body = new byte[0xA0];
        random.NextBytes(body);
        body[17] = (byte)'\n';
        await tls.SendRawAsync([0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03, .. body]);
        await tls.ExpectClosedAsync();

        tls.Raw.Lines.Skip(greeted).Should().Equal(NotTls);
        tls.Raw.WasReset.Should().BeFalse("an orderly close, not a reset that could make the client drop the line");
        await AssertServerStillServesAsync(server, observer, forbidden: []);
    }

    // Threat: a TLS client that starts with the record header alone (a short first read) slipping past detection.
    [Test]
    public async Task A_tls_record_header_arriving_in_its_own_read_is_still_detected()
    {
        await using var server = await TestServer.StartAsync();
        await using var observer = await server.ConnectAsync("observer");
        await using var tls = await server.ConnectAsync();
        var greeted = tls.Raw.Lines.Count;

        await tls.SendRawAsync([0x16, 0x03, 0x03, 0x00, 0x40]);
        await tls.ExpectClosedAsync();

        tls.Raw.Lines.Skip(greeted).Should().Equal(NotTls);
        tls.Raw.WasReset.Should().BeFalse("an orderly close, not a reset that could make the client drop the line");
        await AssertServerStillServesAsync(server, observer, forbidden: []);
    }

    // Threat: an HTTP or TLS client that speaks at once (before reading the greeting) gets chat lines or is kept open.
    [TestCase("GET /health HTTP/1.1\r\nHost: chat\r\n\r\n", NotHttp)]
    [TestCase("TLS", NotTls)]
    public async Task A_client_speaking_http_or_tls_at_once_is_told_what_this_port_is_and_closed(string request, string answer)
    {
        await using var server = await TestServer.StartAsync();
        await using var observer = await server.ConnectAsync("observer");
        await using var intruder = await ChatClient.ConnectRawAsync(server.Port);

        await intruder.SendRawAsync(request == "TLS" ? [0x16, 0x03, 0x01, 0x00, 0x30, 0x01, 0x00, 0x00, 0x2C, 0x03, 0x03, .. new byte[40]] : Encoding.ASCII.GetBytes(request));
        await intruder.ExpectClosedAsync();

        // Whether the server saw the bytes before greeting or only after, the one answer is the last line, and nothing else is an error.
        intruder.Raw.Lines.Should().NotBeEmpty().And.HaveElementAt(intruder.Raw.Lines.Count - 1, answer);
        intruder.Raw.Lines.Where(l => !l.StartsWith("* ", StringComparison.Ordinal)).Should().Equal(answer);
        intruder.Raw.WasReset.Should().BeFalse("an orderly close, not a reset that could make the client drop the line");
        await AssertServerStillServesAsync(server, observer, forbidden: ["Host", "/health"]);
    }

    // Threat: detection too eager: an ordinary first line that merely mentions HTTP must stay a chat line.
    [TestCase("GET me a coffee")]
    [TestCase("get / http/1.1")]
    [TestCase("see HTTP/1.1 docs")]
    public async Task A_first_chat_line_that_only_looks_a_bit_like_http_is_relayed(string line)
    {
        await using var server = await TestServer.StartAsync();
        await using var observer = await server.ConnectAsync("observer");
        await using var alice = await server.ConnectAsync();

        await alice.SendAsync(line);

        await observer.ExpectAsync(l => l.StartsWith("[#lobby] <guest", StringComparison.Ordinal) && l.EndsWith("> " + line, StringComparison.Ordinal));
        await alice.SyncAsync();
    }

    private static async Task AssertServerStillServesAsync(TestServer server, ChatClient observer, string[] forbidden)
    {
        await using var fresh = await server.ConnectAsync("fresh");
        await fresh.SendAsync("after the intruder");
        await observer.ExpectAsync("[#lobby] <fresh> after the intruder");
        observer.Seen.Should().NotContain(l => l.StartsWith("[#lobby] <guest", StringComparison.Ordinal), "the intruder said nothing to the room");
        foreach (var word in forbidden)
        {
            observer.Seen.Should().NotContain(l => l.Contains(word, StringComparison.Ordinal));
        }
    }
}
