using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

public class RoomMessageTests
{
    [Test]
    public async Task Three_clients_converse_in_the_lobby()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");

        await alice.SendAsync("hi all");
        await bob.ExpectAsync("[#lobby] <alice> hi all");
        await carol.ExpectAsync("[#lobby] <alice> hi all");

        await bob.SendAsync("hi alice");
        await alice.ExpectAsync("[#lobby] <bob> hi alice");
        await carol.ExpectAsync("[#lobby] <bob> hi alice");

        await carol.SendAsync("hello both");
        await alice.ExpectAsync("[#lobby] <carol> hello both");
        await bob.ExpectAsync("[#lobby] <carol> hello both");
    }

    [Test]
    public async Task Clients_converse_in_a_created_room_that_outsiders_do_not_hear()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await alice.SendAsync("/join #dev");
        await alice.ExpectAsync("* you joined #dev (0 others here)");
        await bob.SendAsync("/join #dev");
        await bob.ExpectAsync("* you joined #dev (1 other here)");

        await alice.SendAsync("only for dev");
        await bob.ExpectAsync("[#dev] <alice> only for dev");
        await bob.SendAsync("ack");
        await alice.ExpectAsync("[#dev] <bob> ack");

        await alice.SyncAsync();
        await bob.SyncAsync();
        var carolSaw = await carol.SyncAsync();
        carolSaw.Should().NotContain(l => l.Contains("only for dev", StringComparison.Ordinal) || l.Contains("ack", StringComparison.Ordinal));
    }

    [Test]
    public async Task The_sender_gets_no_echo_of_its_own_messages()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("one");
        await alice.SendAsync("/me two");
        await alice.SendAsync("/join #dev");
        await alice.SendAsync("three");
        var aliceSaw = await alice.SyncAsync();

        await bob.ExpectAsync("[#lobby] * alice two");
        aliceSaw.Should().NotContain(l => l.Contains("<alice>", StringComparison.Ordinal) || l.Contains("* alice two", StringComparison.Ordinal));
    }

    [Test]
    public async Task Me_is_relayed_as_an_action()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("/me waves at everyone");

        await bob.ExpectAsync("[#lobby] * alice waves at everyone");
    }

    [Test]
    public async Task Me_without_text_is_a_usage_error()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");

        var lines = await alice.CommandAsync("/me");

        lines.Should().Equal("! usage: /me TEXT");
    }

    [Test]
    public async Task A_double_slash_line_is_sent_as_a_message_starting_with_a_slash()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("//nick mallory");
        await bob.ExpectAsync("[#lobby] <alice> /nick mallory");

        var aliceSaw = await alice.SyncAsync();
        aliceSaw.Should().NotContain(l => l.Contains("mallory", StringComparison.Ordinal));
        (await alice.CommandAsync("/who")).Should().Equal("* members of #lobby (2): alice, bob");
    }

    [Test]
    public async Task Empty_and_whitespace_only_lines_produce_nothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("");
        await alice.SendAsync("   ");
        await alice.SendAsync("\t \t");
        await alice.SendRawAsync("\r\n \r\n"u8.ToArray());
        var aliceSaw = await alice.SyncAsync();
        var bobSaw = await bob.SyncAsync();

        aliceSaw.Should().NotContain(l => l.StartsWith("! ", StringComparison.Ordinal) || l.StartsWith("[", StringComparison.Ordinal));
        bobSaw.Should().BeEmpty();
    }

    [Test]
    public async Task Utf8_text_is_relayed_intact()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        const string text = "café naïve – 日本語 – 😀👍🏽 🇫🇷";
        await alice.SendAsync(text);

        await bob.ExpectAsync($"[#lobby] <alice> {text}");
    }

    [Test]
    public async Task Terminal_control_characters_are_stripped_before_others_see_a_message()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("a\u001b[2Jb\rc\bd\u0007e\u009bf\u202eg");

        var line = await bob.ExpectAsync(l => l.StartsWith("[#lobby] <alice> ", StringComparison.Ordinal));
        line.Should().Be("[#lobby] <alice> a[2Jbcdefg");
        line.Should().NotContainAny("\u001b", "\r", "\b", "\u0007");
    }

    [Test]
    public async Task A_line_over_the_limit_is_refused_and_the_next_line_works()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxLineBytes = 100 });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync(new string('x', 150));
        await alice.ExpectAsync("! line too long (over 100 bytes), dropped");
        await alice.SendAsync("short one");

        await bob.ExpectAsync("[#lobby] <alice> short one");
        bob.Seen.Should().NotContain(l => l.Contains("xxx", StringComparison.Ordinal));
    }

    [Test]
    public async Task The_line_limit_counts_bytes_and_a_line_at_the_limit_passes()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxLineBytes = 100 });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        var exactly100 = new string('y', 100);
        var fiftyAccents = new string('é', 50);
        var fiftyOneAccents = new string('é', 51);
        await alice.SendAsync(exactly100);
        await alice.SendRawAsync(System.Text.Encoding.UTF8.GetBytes(fiftyAccents + "\r\n"));
        await alice.SendAsync(fiftyOneAccents);
        var aliceSaw = await alice.SyncAsync();

        aliceSaw.Should().ContainSingle(l => l.StartsWith("! ", StringComparison.Ordinal))
            .Which.Should().Be("! line too long (over 100 bytes), dropped");
        await bob.ExpectAsync($"[#lobby] <alice> {exactly100}");
        await bob.ExpectAsync($"[#lobby] <alice> {fiftyAccents}");
        var bobSaw = await bob.SyncAsync();
        bobSaw.Should().NotContain(l => l.Contains(fiftyOneAccents, StringComparison.Ordinal));
    }

    [Test]
    public async Task A_long_line_trickling_in_without_newline_is_refused_once_and_the_next_line_works()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxLineBytes = 100 });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        for (var i = 0; i < 10; i++)
        {
            await alice.SendRawAsync(System.Text.Encoding.ASCII.GetBytes(new string((char)('a' + i), 80)));
        }

        await alice.SendAsync("");
        await alice.SendAsync("after the long one");
        var aliceSaw = await alice.SyncAsync();

        aliceSaw.Where(l => l.StartsWith("! ", StringComparison.Ordinal)).Should().Equal("! line too long (over 100 bytes), dropped");
        await bob.ExpectAsync("[#lobby] <alice> after the long one");
        bob.Seen.Should().NotContain(l => l.Contains("aaaa", StringComparison.Ordinal) || l.Contains("jjjj", StringComparison.Ordinal));
    }

    [Test]
    public async Task An_unknown_command_is_an_error_and_the_connection_stays()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        var lines = await alice.CommandAsync("/foo bar");

        lines.Should().Equal("! unknown command /foo; type /help for commands");
        await alice.SendAsync("still here");
        await bob.ExpectAsync("[#lobby] <alice> still here");
        bob.Seen.Should().NotContain(l => l.Contains("/foo", StringComparison.Ordinal));
    }

    [Test]
    public async Task Crash_is_an_unknown_command_without_fault_injection()
    {
        await using var server = await TestServer.StartAsync(o => o with { EnableFaultInjection = false });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        var lines = await alice.CommandAsync("/crash");

        lines.Should().Equal("! unknown command /crash; type /help for commands");
        await alice.SendAsync("not crashed");
        await bob.ExpectAsync("[#lobby] <alice> not crashed");
        bob.Seen.Should().NotContain(l => l.Contains("alice left", StringComparison.Ordinal));
    }

    [Test]
    public async Task Ping_answers_with_its_token_or_a_bare_pong()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");

        await alice.SendAsync("/ping abc123");
        (await alice.ReadLineAsync()).Should().Be("* pong abc123");
        await alice.SendAsync("/ping");
        (await alice.ReadLineAsync()).Should().Be("* pong");
    }

    [Test]
    public async Task Ping_answers_even_in_no_room()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await alice.SendAsync("/part");
        await alice.ExpectAsync("* you are in no room; /join #room to talk");

        await alice.SendAsync("/ping lonely");

        (await alice.ReadLineAsync()).Should().Be("* pong lonely");
    }

    [Test]
    public async Task Ping_answers_after_every_earlier_command_of_the_client()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");

        await alice.SendAsync("/join #a");
        await alice.SendAsync("/join #b");
        await alice.SendAsync("/who");
        await alice.SendAsync("/nosuch");
        var lines = await alice.SyncAsync("done");

        lines.Should().Equal(
            "* you joined #a (0 others here)",
            "* you joined #b (0 others here)",
            "* members of #b (1): @alice",
            "! unknown command /nosuch; type /help for commands");
    }
}
