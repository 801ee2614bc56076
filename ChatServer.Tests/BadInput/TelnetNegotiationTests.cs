using System.Text;
using ChatServer.Tests.Support;
using static ChatServer.Tests.Support.TelnetBytes;

namespace ChatServer.Tests.BadInput;

public class TelnetNegotiationTests
{
    // Threat: a telnet user who presses Ctrl-C (IAC IP IAC DO TIMING-MARK) is left deaf unless the server answers IAC WONT TM.
    [Test]
    public async Task Telnet_ctrl_c_gets_exactly_wont_timing_mark_back_and_the_client_keeps_chatting()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        var before = alice.Raw.Received.Length;

        await alice.SendRawAsync([Iac, 0xF4, Iac, Do, 0x06]);
        await alice.SendAsync("/ping tm");
        await alice.ExpectAsync(l => l.EndsWith("* pong tm", StringComparison.Ordinal));

        alice.Raw.Received[before..].Should().Equal([Iac, Wont, 0x06, .. "* pong tm\r\n"u8]);

        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("still here after ctrl-c");
        await bob.ExpectAsync("[#lobby] <alice> still here after ctrl-c");
        await bob.SendAsync("and you still hear me");
        await alice.ExpectAsync("[#lobby] <bob> and you still hear me");
    }

    // Threat: a telnet client's option offers (Linux telnet sends several on connect) go unanswered or get the wrong answer.
    [Test]
    public async Task Other_do_get_wont_other_will_get_dont_and_wont_dont_get_nothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();
        var before = alice.Raw.Received.Length;

        await alice.SendRawAsync(
        [
            Iac, Do, 0x01, Iac, Will, 0x18, Iac, Will, 0x1F, Iac, Do, 0x03,
            Iac, Wont, 0x01, Iac, Dont, 0x01, Iac, Will, 0x20, Iac, Will, 0x27, Iac, Dont, 0x05,
        ]);
        await alice.SendAsync("/ping neg");
        await alice.ExpectAsync(l => l.EndsWith("* pong neg", StringComparison.Ordinal));

        alice.Raw.Received[before..].Should().Equal(
        [
            Iac, Wont, 0x01, Iac, Dont, 0x18, Iac, Dont, 0x1F, Iac, Wont, 0x03, Iac, Dont, 0x20, Iac, Dont, 0x27,
            .. "* pong neg\r\n"u8,
        ]);
    }

    // Threat: the server starting telnet negotiation itself, which an nc user would see as garbage bytes.
    [Test]
    public async Task A_client_that_does_not_negotiate_never_receives_a_telnet_byte()
    {
        await using var server = await TestServer.StartAsync();
        await using var nc = await server.ConnectAsync();
        await nc.SendAsync("/nick netty");
        await nc.ExpectAsync("* you are now known as netty");
        await using var bob = await server.ConnectAsync("bob");

        foreach (var line in new[] { "hello", "/me waves", "/help", "/who", "/rooms", "/nosuch", "/join #dev", "/part #dev", "/msg bob hi", "/nick" })
        {
            await nc.SendAsync(line);
        }

        await bob.ExpectAsync("[pm] <netty> hi");
        await bob.SendAsync("hi netty");
        await bob.SendAsync("/msg netty private hello");
        await nc.ExpectAsync("[pm] <bob> private hello");
        await nc.SyncAsync();

        var received = nc.Raw.Received;
        received.Should().NotContain(Iac, "the server never negotiates on its own");
        var decode = () => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(received);
        decode.Should().NotThrow("everything an nc user sees is plain UTF-8 text");
        nc.Raw.Lines.Should().Contain("[#lobby] <bob> hi netty");
    }

    // Threat: negotiation bytes in the middle of a line relayed to others as garbage or taken as text.
    [Test]
    public async Task Negotiation_inside_a_line_is_never_relayed_and_others_see_exactly_the_text()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync();
        await alice.ExpectAsync(l => l.EndsWith(" joined #lobby", StringComparison.Ordinal));
        var aliceBefore = alice.Raw.Received.Length;

        await alice.SendRawAsync(
        [
            .. "he"u8, Iac, Will, 0x18, .. "llo"u8, Iac, Sb, 0x18, 0x00, .. "xterm"u8, Iac, Se,
            .. " wor"u8, Iac, 0xF1, .. "ld"u8, Iac, 0xF6, Iac, Wont, 0x01, (byte)'\n',
        ]);

        var line = await bob.ExpectAsync(l => l.StartsWith("[#lobby] <alice> ", StringComparison.Ordinal));
        line.Should().Be("[#lobby] <alice> hello world");
        await bob.SyncAsync();
        bob.Raw.Received.Should().NotContain(Iac);
        await alice.SendAsync("/ping done");
        await alice.ExpectAsync(l => l.EndsWith("* pong done", StringComparison.Ordinal));
        alice.Raw.Received[aliceBefore..].Should().Equal([Iac, Dont, 0x18, .. "* pong done\r\n"u8]);
    }

    // Threat: an escaped IAC IAC passed on as a raw 0xFF byte (invalid UTF-8 on others' terminals); the pair is consumed.
    [Test]
    public async Task An_escaped_iac_never_reaches_others()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync();

        await alice.SendRawAsync([.. "a"u8, Iac, Iac, .. "b"u8, Iac, Iac, Iac, Iac, .. "c\n"u8]);

        var line = await bob.ExpectAsync(l => l.StartsWith("[#lobby] <alice> ", StringComparison.Ordinal));
        line.Should().Be("[#lobby] <alice> abc");
        bob.Raw.Received.Should().NotContain(Iac);
    }

    // Threat: telnet's Enter sent as CR NUL never ends a line, so a telnet user could not chat at all.
    [Test]
    public async Task Cr_nul_ends_a_line_like_telnet_enter()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();
        await alice.SendRawAsync("/nick alice\r\0"u8.ToArray());
        await alice.ExpectAsync("* you are now known as alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendRawAsync("first\r\0second\r\0"u8.ToArray());

        await bob.ExpectAsync("[#lobby] <alice> first");
        await bob.ExpectAsync("[#lobby] <alice> second");
        await alice.SendRawAsync("/ping enter\r\0"u8.ToArray());
        await alice.ExpectAsync("* pong enter");
    }
}
