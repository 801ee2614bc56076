using System.Text;
using ChatServer.Tests.Support;
using static ChatServer.Tests.Support.TelnetBytes;

namespace ChatServer.Tests.BadInput;

public class TelnetNegotiationTests
{
    // Threat: a telnet user who presses Ctrl-C (IAC IP IAC DO TIMING-MARK) is left deaf unless the server answers IAC WONT TM;
    // the first IAC also shows a telnet client, which brings the BINARY offer, once.
    [Test]
    public async Task Telnet_ctrl_c_gets_wont_timing_mark_back_after_the_offer_the_first_time_and_the_client_keeps_chatting()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        var before = alice.Raw.Received.Length;

        await alice.SendRawAsync([Iac, Ip, Iac, Do, TimingMark]);
        await alice.SendAsync("/ping tm");
        await alice.ExpectAsync(l => l.EndsWith("* pong tm", StringComparison.Ordinal));

        alice.Raw.Received[before..].Should().Equal([.. BinaryOffer, Iac, Wont, TimingMark, .. "* pong tm\r\n"u8]);
        before = alice.Raw.Received.Length;
        await alice.SendRawAsync([Iac, Ip, Iac, Do, TimingMark]);
        await alice.SendAsync("/ping tm again");
        await alice.ExpectAsync(l => l.EndsWith("* pong tm again", StringComparison.Ordinal));
        alice.Raw.Received[before..].Should().Equal([Iac, Wont, TimingMark, .. "* pong tm again\r\n"u8], "the offer is made once");

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
            .. BinaryOffer,
            Iac, Wont, 0x01, Iac, Dont, 0x18, Iac, Dont, 0x1F, Iac, Wont, 0x03, Iac, Dont, 0x20, Iac, Dont, 0x27,
            .. "* pong neg\r\n"u8,
        ]);
    }

    // Threat: the server starting telnet negotiation with a client that never showed it speaks telnet: an nc user would see garbage bytes.
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
        received.Should().NotContain(Iac, "the server offers BINARY only to a client that shows it speaks telnet");
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
        alice.Raw.Received[aliceBefore..].Should().Equal([.. BinaryOffer, Iac, Dont, 0x18, .. "* pong done\r\n"u8]);
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

    // Threat: telnet's Enter sent as CR NUL never ends a line, so a telnet user could not chat at all;
    // as telnet's line end it brings the BINARY offer, before the answer to the line.
    [Test]
    public async Task Cr_nul_ends_a_line_like_telnet_enter()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();
        var before = alice.Raw.Received.Length;
        await alice.SendRawAsync("/nick alice\r\0"u8.ToArray());
        await alice.ExpectAsync(l => l.EndsWith("* you are now known as alice", StringComparison.Ordinal));
        alice.Raw.Received[before..].Should().Equal([.. BinaryOffer, .. "* you are now known as alice\r\n"u8]);
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendRawAsync("first\r\0second\r\0"u8.ToArray());

        await bob.ExpectAsync("[#lobby] <alice> first");
        await bob.ExpectAsync("[#lobby] <alice> second");
        await alice.SendRawAsync("/ping enter\r\0"u8.ToArray());
        await alice.ExpectAsync("* pong enter");
    }

    // Threat: a client that ends lines in CRLF without speaking telnet (nc -C, a bot) flooded with telnet bytes:
    // it receives the six bytes of the offer once, before the answer to its first line, and nothing more.
    [Test]
    public async Task A_crlf_client_that_does_not_speak_telnet_receives_the_six_byte_offer_once()
    {
        await using var server = await TestServer.StartAsync();
        await using var bot = await server.ConnectAsync();
        var before = bot.Raw.Received.Length;

        await bot.SendRawAsync("/nick botty\r\n"u8.ToArray());
        await bot.ExpectAsync(l => l.EndsWith("* you are now known as botty", StringComparison.Ordinal));
        await bot.SendRawAsync("hello\r\n/ping one\r\n"u8.ToArray());
        await bot.ExpectAsync("* pong one");

        bot.Raw.Received[before..].Should().Equal([0xFF, 0xFB, 0x00, 0xFF, 0xFD, 0x00, .. "* you are now known as botty\r\n* pong one\r\n"u8]);
    }

    // Threat: a telnet client that agrees to BINARY answered again (a loop), or its raw UTF-8 and bare-LF lines (what telnet
    // sends in BINARY mode) not taken as text.
    [Test]
    public async Task A_client_that_agrees_to_binary_gets_no_answer_and_its_utf8_lines_reach_others()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var tina = await server.ConnectAsync();
        await tina.SendRawAsync("/nick tina\r\n"u8.ToArray());
        await tina.ExpectAsync(l => l.EndsWith("* you are now known as tina", StringComparison.Ordinal));
        var before = tina.Raw.Received.Length;

        await tina.SendRawAsync([Iac, Do, Binary, Iac, Will, Binary, .. "тут русский язык ✓ 业\n"u8]);

        await bob.ExpectAsync("[#lobby] <tina> тут русский язык ✓ 业");
        await tina.SyncAsync("agreed");
        tina.Raw.Received[before..].Should().Equal("* pong agreed\r\n"u8.ToArray(), "an agreement to the offer is not answered");
    }

    // Threat: text from a telnet still outside BINARY mode (before it took the offer, or with the offer turned off) reaching
    // others as т�т: each key command inside a UTF-8 sequence becomes its byte again, and the timing mark is still answered.
    [TestCase(true)]
    [TestCase(false)]
    public async Task Text_that_telnet_broke_into_commands_reaches_others_repaired(bool offer)
    {
        await using var server = await TestServer.StartAsync(o => o with { TelnetBinary = offer });
        await using var bob = await server.ConnectAsync("bob");
        await using var tina = await server.ConnectAsync("tina");
        var before = tina.Raw.Received.Length;

        // тут ✓ я业: у is D1 83 (Ctrl+C), ✓ E2 9C 93 (Ctrl+\), я D1 8F (Ctrl+O), 业 E4 B8 9A (Ctrl+Z).
        await tina.SendRawAsync(
        [
            0xD1, 0x82, 0xD1, Iac, Ip, Iac, Do, TimingMark, 0xD1, 0x82, (byte)' ', 0xE2, Iac, Brk, Iac, Do, TimingMark, 0x93, (byte)' ',
            0xD1, Iac, Ao, Iac, Do, TimingMark, 0xE4, 0xB8, Iac, Susp, Iac, Do, TimingMark, (byte)'\r', (byte)'\n',
        ]);

        await bob.ExpectAsync("[#lobby] <tina> тут ✓ я业");
        await tina.SendAsync("/ping repaired");
        await tina.ExpectAsync(l => l.EndsWith("* pong repaired", StringComparison.Ordinal));
        byte[] timingMarks = [Iac, Wont, TimingMark, Iac, Wont, TimingMark, Iac, Wont, TimingMark, Iac, Wont, TimingMark];
        tina.Raw.Received[before..].Should().Equal([.. offer ? BinaryOffer : [], .. timingMarks, .. "* pong repaired\r\n"u8]);
    }

    // Threat: --telnet-binary false still sending the offer; with it off a telnet client gets exactly what it always got.
    [Test]
    public async Task With_the_offer_off_ctrl_c_gets_exactly_wont_timing_mark_and_telnet_line_ends_nothing()
    {
        await using var server = await TestServer.StartAsync(o => o with { TelnetBinary = false });
        await using var alice = await server.ConnectAsync();
        var before = alice.Raw.Received.Length;

        await alice.SendRawAsync("/nick alice\r\0"u8.ToArray());
        await alice.ExpectAsync("* you are now known as alice");
        await alice.SendRawAsync([Iac, Ip, Iac, Do, TimingMark, Iac, Do, Binary, Iac, Will, Binary, .. "/ping off\r\n"u8]);
        await alice.ExpectAsync(l => l.EndsWith("* pong off", StringComparison.Ordinal));

        alice.Raw.Received[before..].Should().Equal(
        [
            .. "* you are now known as alice\r\n"u8, Iac, Wont, TimingMark, Iac, Wont, Binary, Iac, Dont, Binary, .. "* pong off\r\n"u8,
        ]);
    }
}
