using ChatServer.Tests.Chat;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.BadInput;

public class MalformedInputTests
{
    private const string TooLong = "! line too long (over 100 bytes), dropped";

    // Threat: a line trickling in one byte at a time without a newline grows the server's buffer without bound or is never answered.
    [Test]
    public async Task An_over_long_line_trickling_in_byte_by_byte_is_refused_once_before_its_end_and_the_connection_stays()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxLineBytes = 100 });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        for (var i = 0; i < 150; i++)
        {
            await alice.SendRawAsync([(byte)('a' + (i % 26))]);
        }

        // The refusal comes while the line is still open: the server did not wait for (or buffer up to) a newline.
        await alice.ExpectAsync(TooLong);
        for (var i = 0; i < 300; i++)
        {
            await alice.SendRawAsync([(byte)('a' + (i % 26))]);
        }

        await alice.SendRawAsync("\n"u8.ToArray());
        var aliceSaw = await alice.SyncAsync("after");
        await alice.SendAsync("short and sweet");

        aliceSaw.Should().NotContain(l => l.StartsWith("! ", StringComparison.Ordinal), "one over-long line is reported once");
        await bob.ExpectAsync("[#lobby] <alice> short and sweet");
        bob.Seen.Should().NotContain(l => l.Contains("abcdef", StringComparison.Ordinal));
    }

    // Threat: random binary bytes (including 0xFF and NUL) crash the client's worker or the server, or leave the connection unusable.
    [Test]
    public async Task Binary_garbage_leaves_the_connection_usable_and_the_server_serving_others()
    {
        await using var server = await TestServer.StartAsync();
        await using var observer = await server.ConnectAsync("observer");
        await using var alice = await server.ConnectAsync("alice");
        await observer.ExpectAsync(l => l.EndsWith(" is now known as alice in #lobby", StringComparison.Ordinal));
        await alice.SyncAsync("ready");
        var random = new Random(1234);
        var garbage = new byte[64 * 1024];
        random.NextBytes(garbage);

        for (var offset = 0; offset < garbage.Length;)
        {
            var length = Math.Min(random.Next(1, 4096), garbage.Length - offset);
            await alice.SendRawAsync(garbage[offset..(offset + length)]);
            offset += length;
        }

        // Whatever state the garbage left the telnet filter in (inside a sub-negotiation, after an IAC) and the
        // framer in (discarding an over-long line), IAC SE twice and a newline bring both back to plain lines.
        // The garbage holds IACs: telnet answers (the BINARY offer among them) may come first on the pong's line.
        await alice.SendRawAsync([0xFF, 0xF0, 0xFF, 0xF0, (byte)'\n']);
        await alice.SendAsync("/ping after");
        await alice.ExpectAsync(l => l.EndsWith("* pong after", StringComparison.Ordinal));
        await alice.SendAsync("/join #lobby");
        await alice.SendAsync("still alive");
        await observer.ExpectAsync("[#lobby] <alice> still alive");

        await using var fresh = await server.ConnectAsync("fresh");
        await fresh.SendAsync("hello after the garbage");
        await observer.ExpectAsync("[#lobby] <fresh> hello after the garbage");
        await observer.SyncAsync();
        SafeText.ShouldAllBeSafe(observer.Raw.LineBytes);
    }

    // Threat: commands with missing or extra arguments crash the worker or are silently ignored instead of answered with "! ".
    [Test]
    public async Task Commands_with_missing_or_extra_arguments_are_each_answered_with_one_error_line()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        string[] bad =
        [
            "/nick", "/nick a b", "/join", "/join #a #b", "/part #a #b", "/who #a #b", "/rooms #a",
            "/msg", "/msg bob", "/msg bob    ", "/me", "/me    ", "/", "/ nick x", "/NICK", "/Join",
        ];

        foreach (var line in bad)
        {
            var answer = await alice.CommandAsync(line);

            answer.Should().ContainSingle("{0} gets exactly one answer", line).Which.Should().StartWith("! ", "{0} is an error", line);
        }

        await alice.SendAsync("still alice");
        await bob.ExpectAsync("[#lobby] <alice> still alice");
        bob.Seen.Should().NotContain(l => l.StartsWith("* alice is now known as", StringComparison.Ordinal));
    }

    // Threat: a nick made to look like a server notice ("* "), an error ("! ") or another sender ("<bob>", "[#lobby]").
    [Test]
    public async Task A_nick_that_would_look_like_a_notice_or_another_sender_is_refused()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        string[] fakes = ["*", "!", "<bob>", "bob>", "<bob", "[#lobby]", "[pm]", "]x", "*bob", "!bob", "bob!", "a\u00a0b", "bob\u200b"];

        foreach (var nick in fakes)
        {
            (await alice.CommandAsync($"/nick {nick}")).Should().ContainSingle().Which.Should().StartWith("! ", "nick {0} is refused", nick);
        }

        (await alice.CommandAsync("/nick * bob")).Should().Equal("! usage: /nick NAME");
        await alice.SendAsync("who am I");
        await bob.ExpectAsync("[#lobby] <alice> who am I");
        bob.Seen.Should().NotContain(l => l.StartsWith("* alice is now known as", StringComparison.Ordinal));
    }

    // Threat: names one past their limit accepted on some command path (nick 21 in /msg, room 33 in /who or /part) or at the limit refused.
    [Test]
    public async Task Names_at_their_limit_work_and_one_past_is_refused_on_every_command_that_takes_them()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var nick20 = new string('n', 20);
        var nick21 = new string('n', 21);
        var room32 = "#" + new string('r', 32);
        var room33 = "#" + new string('r', 33);

        (await bob.CommandAsync($"/nick {nick20}")).Should().Equal($"* you are now known as {nick20}");
        (await alice.CommandAsync($"/msg {nick20} hi")).Should().BeEmpty();
        await bob.ExpectAsync("[pm] <alice> hi");
        (await alice.CommandAsync($"/msg {nick21} hi")).Should().Equal($"! invalid nick: {nick21}");
        (await alice.CommandAsync($"/nick {nick21}")).Should().ContainSingle().Which.Should().StartWith("! invalid nick");

        (await alice.CommandAsync($"/join {room32}")).Should().Equal($"* you joined {room32} (0 others here)");
        (await alice.CommandAsync($"/who {room32}")).Should().Equal($"* members of {room32} (1): @alice");
        (await alice.CommandAsync($"/join {room33}")).Should().ContainSingle().Which.Should().StartWith("! invalid room name");
        (await alice.CommandAsync($"/who {room33}")).Should().ContainSingle().Which.Should().StartWith("! invalid room name");
        (await alice.CommandAsync($"/part {room33}")).Should().ContainSingle().Which.Should().StartWith("! invalid room name");
        (await alice.CommandAsync("/rooms")).Should().Equal($"* rooms: #lobby (2), {room32} (1)");
    }

    // Threat: names differing only by case let a second client pose as the first (nick) or split one room in two.
    [Test]
    public async Task Names_differing_only_by_case_collide_as_nicks_and_are_one_room()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("Alice");
        await using var mallory = await server.ConnectAsync("mallory");

        (await mallory.CommandAsync("/nick aLICE")).Should().Equal("! nick aLICE is taken");
        (await mallory.CommandAsync("/join #Dev")).Should().Equal("* you joined #Dev (0 others here)");
        (await alice.CommandAsync("/join #dEV")).Should().Equal("* you joined #Dev (1 other here)");
        await alice.SendAsync("same room");
        await mallory.ExpectAsync("[#Dev] <Alice> same room");
        (await mallory.CommandAsync("/msg ALICE psst")).Should().BeEmpty();
        await alice.ExpectAsync("[pm] <mallory> psst");
    }
}
