using System.Text;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.BadInput;

public class ControlCharacterTests
{
    private const string Prefix = "[#lobby] <alice> ";

    // Threat: CR, BS, VT, FF or cursor escapes overwrite the "[#room] <nick>" prefix on a reader's terminal to impersonate someone.
    [TestCase("hi\r[#lobby] <bob> fake", "hi[#lobby] <bob> fake")]
    [TestCase("hi\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b[#lobby] <bob> fake", "hi[#lobby] <bob> fake")]
    [TestCase("hi\v[#lobby] <bob> fake", "hi[#lobby] <bob> fake")]
    [TestCase("hi\f[#lobby] <bob> fake", "hi[#lobby] <bob> fake")]
    [TestCase("hi\u007f\u007f\u007f[#lobby] <bob> fake", "hi[#lobby] <bob> fake")]
    [TestCase("hi\u001b[2K\u001b[G[#lobby] <bob> fake", "hi[2K[G[#lobby] <bob> fake")]
    [TestCase("hi\u0085[#lobby] <bob> fake", "hi[#lobby] <bob> fake")]
    [TestCase("hi\u2028[#lobby] <bob> fake\u2029", "hi[#lobby] <bob> fake")]
    public async Task A_line_that_tries_to_overwrite_the_sender_prefix_arrives_as_one_line_from_the_real_sender(string sent, string shown)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await carol.SyncAsync("ready");

        await alice.SendAsync(sent);
        await alice.SendAsync("end");

        await carol.ExpectAsync(Prefix + "end");
        var lines = carol.Raw.Lines.SkipWhile(l => l != "* pong ready").Skip(1).ToList();
        lines.Should().Equal(Prefix + shown, Prefix + "end");
        SafeText.ShouldAllBeSafe(carol.Raw.LineBytes);
    }

    // Threat: backspace/DEL used to edit text on others' screens. The server strips BS (0x08) and DEL (0x7F); it does not apply them as edits.
    [Test]
    public async Task Backspace_and_del_are_stripped_not_applied_as_edits()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("I love\b\b\b\bhate you\u007f\u007f\u007fthem");

        var line = await bob.ExpectAsync(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        line.Should().Be(Prefix + "I lovehate youthem", "stripped, not 'I hate them'");
        bob.Raw.LineBytes.Should().NotContain(l => l.Contains((byte)0x08) || l.Contains((byte)0x7F));
    }

    // Threat: invalid UTF-8 relayed raw, breaking others' terminals or decoders; it is repaired to U+FFFD (EF BF BD).
    [Test]
    public async Task Invalid_utf8_reaches_others_as_replacement_characters()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        // A stray FE, a lead byte without its continuation, a lone continuation, an overlong '/', and a truncated 3-byte character.
        await alice.SendRawAsync([.. "a"u8, 0xFE, .. "b"u8, 0xC3, .. "c"u8, 0x80, .. "d"u8, 0xC0, 0xAF, .. "e"u8, 0xE6, 0x97, (byte)'\n']);

        var line = await bob.ExpectAsync(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        line.Should().Be(Prefix + "a\uFFFDb\uFFFDc\uFFFDd\uFFFD\uFFFDe\uFFFD");
        var bytes = bob.Raw.LineBytes.Single(l => ChatClient.Decode(l) == line);
        bytes.Should().Equal([.. Encoding.UTF8.GetBytes(Prefix), .. "a\uFFFDb\uFFFDc\uFFFDd\uFFFD\uFFFDe\uFFFD"u8]);
        SafeText.ShouldAllBeSafe(bob.Raw.LineBytes);
    }

    // Threat: NUL, C0/C1 controls, screen clears (ESC [2J), OSC title sets, bell floods and cursor moves reach others' terminals.
    [Test]
    public async Task Control_characters_and_terminal_escapes_are_neutralised_before_anyone_sees_them()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var text = new StringBuilder("x\0");
        for (var c = '\u0001'; c < ' '; c++)
        {
            if (c is not '\t' and not '\n' and not '\r')
            {
                text.Append(c);
            }
        }

        text.Append('\u007f');
        for (var c = '\u0080'; c <= '\u009f'; c++)
        {
            text.Append(c);
        }

        text.Append("\u001b[2J\u001b]0;pwned\u0007").Append('\u0007', 50).Append("\u001b[10;10H\u001b[A\u009b31my");

        await alice.SendAsync(text.ToString());

        var line = await bob.ExpectAsync(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        line.Should().Be(Prefix + "x[2J]0;pwned[10;10H[A31my");
        SafeText.ShouldAllBeSafe(bob.Raw.LineBytes);
    }

    // Threat: Unicode bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) and bidi marks (U+061C, U+200E, U+200F) reorder what other people see.
    [Test]
    public async Task Bidi_overrides_and_isolates_are_removed()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("pay \u202Eevil\u202C to \u202Aa\u202Bb\u202Dc \u2066x\u2067y\u2068z\u2069 done\u200F\u200E\u061C");

        var line = await bob.ExpectAsync(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        line.Should().Be(Prefix + "pay evil to abc xyz done");
        SafeText.ShouldAllBeSafe(bob.Raw.LineBytes);
    }

    // Threat: control characters slipping through a path other than a plain message: an action, a private message, a quit reason.
    [Test]
    public async Task Actions_private_messages_and_quit_reasons_are_sanitised_too()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("/me \u001b[31mwaves\u202e\u0007");
        await alice.SendAsync("/msg bob \u001b]0;x\u0007psst\b\u2066");
        await alice.SendAsync("/quit bye\u001b[2J\u000b\u202e");

        await bob.ExpectAsync("[#lobby] * alice [31mwaves");
        await bob.ExpectAsync("[pm] <alice> ]0;xpsst");
        await bob.ExpectAsync("* alice left #lobby (quit: bye[2J)");
        SafeText.ShouldAllBeSafe(bob.Raw.LineBytes);
    }

    // Threat: a line made only of control characters or blanks (or telnet's empty Enter) relayed as an empty message or answered with an error.
    [Test]
    public async Task Lines_that_are_empty_or_blank_after_sanitising_produce_nothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.ExpectAsync(l => l.EndsWith(" is now known as bob in #lobby", StringComparison.Ordinal));
        await bob.SyncAsync("ready");

        await alice.SendRawAsync("\u001b\u0007\n\r\0   \t \r\0\u0001\u0002\u0003\r\n\u202e\u2066\n\b \b\u007f\n\n"u8.ToArray());
        var aliceSaw = await alice.SyncAsync();
        var bobSaw = await bob.SyncAsync();

        aliceSaw.Should().BeEmpty();
        bobSaw.Should().BeEmpty();
    }

    // Threat: log injection: user text with CRs or escapes written raw to the server log (a fake log line, escapes in a tail -f).
    [Test]
    public async Task User_text_reaches_the_server_log_sanitised()
    {
        await using var server = await TestServer.StartAsync(captureLogs: true);
        var logs = server.Logs;
        await using var alice = await server.ConnectAsync("alice");

        await alice.SendAsync("/quit bye\r2099-01-01 info: admin logged in\u001b[2J\u0007");
        await alice.ExpectClosedAsync();
        var entry = await logs.ExpectAsync(e => e.Message.StartsWith("disconnect ", StringComparison.Ordinal) && e.Message.Contains(" alice: ", StringComparison.Ordinal));

        entry.Message.Should().EndWith(" alice: bye2099-01-01 info: admin logged in[2J");
        logs.Records.SelectMany(e => e.Message).Where(SafeText.IsUnsafe).Should().BeEmpty();
    }
}
