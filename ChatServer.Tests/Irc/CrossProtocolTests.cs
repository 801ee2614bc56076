using ChatServer.Tests.Support;

namespace ChatServer.Tests.Irc;

/// <summary>An IRC user and a line user in the same rooms: messages, actions, private messages and leaving map both ways.</summary>
public class CrossProtocolTests
{
    [Test]
    public async Task An_irc_message_reaches_line_users_and_a_line_message_reaches_irc_users()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.SendAsync("JOIN #lobby");
        await bob.ExpectAsync("* alice joined #lobby");

        await alice.SendAsync("PRIVMSG #lobby :hi from irssi");
        await bob.ExpectAsync("[#lobby] <alice> hi from irssi");
        await bob.SendAsync("hello from nc");
        var relayed = await alice.ExpectAsync("PRIVMSG");

        relayed.Params.Should().Equal("#lobby", "hello from nc");
        relayed.Source.Should().MatchRegex(@"^bob!bob@[0-9a-f]{8}\.cloak$", "line users are shown as nick!nick@ a cloaked host, never an address");
    }

    [Test]
    public async Task Me_and_ctcp_action_map_to_each_other()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.CommandAsync("JOIN #lobby");

        await alice.SendAsync("PRIVMSG #lobby :\u0001ACTION waves\u0001");
        await bob.ExpectAsync("[#lobby] * alice waves");
        await bob.SendAsync("/me bows");

        (await alice.ExpectAsync("PRIVMSG")).Params.Should().Equal("#lobby", "\u0001ACTION bows\u0001");
    }

    [Test]
    public async Task Line_users_never_see_irc_colours_formatting_or_ctcp_queries()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var carol = await server.ConnectIrcAsync("carol");
        await alice.CommandAsync("JOIN #lobby");
        await carol.CommandAsync("JOIN #lobby");

        await alice.SendAsync("PRIVMSG #lobby :\u0001VERSION\u0001");
        await alice.SendAsync("PRIVMSG #lobby :\u0002bold\u0002 \u000304,12red\u0003 \u001Ditalic\u001D plain");
        await bob.ExpectAsync("[#lobby] <alice> bold red italic plain");

        (await bob.SyncAsync()).Concat(bob.Seen).Should().NotContain(line => line.Contains("VERSION", StringComparison.Ordinal));
        (await carol.ExpectAsync("PRIVMSG")).Trailing.Should().Be("\u0001VERSION\u0001", "IRC users get CTCP as sent");
        (await carol.ExpectAsync("PRIVMSG")).Trailing.Should().Be("\u0002bold\u0002 \u000304,12red\u0003 \u001Ditalic\u001D plain");
    }

    [Test]
    public async Task Private_messages_cross_protocols_both_ways()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await server.ConnectIrcAsync("alice");

        await alice.SendAsync("PRIVMSG bob :psst");
        await bob.ExpectAsync("[pm] <alice> psst");
        await bob.SendAsync("/msg ALICE hi back");

        var message = await alice.ExpectAsync("PRIVMSG");
        message.SourceNick.Should().Be("bob");
        message.Params.Should().Equal("ALICE", "hi back");
    }

    [Test]
    public async Task A_line_message_longer_than_one_irc_line_is_split_at_character_boundaries()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.CommandAsync("JOIN #lobby");
        await using var bob = await server.ConnectAsync("bob");
        var text = string.Concat(Enumerable.Repeat("żółw ✓ 🐢 ", 80)).Trim();

        await bob.SendAsync(text);
        var pieces = new List<IrcReply>();
        while (string.Concat(pieces.Select(p => p.Trailing)) != text)
        {
            pieces.Add(await alice.ExpectAsync("PRIVMSG"));
        }

        pieces.Should().HaveCountGreaterThan(1);
        pieces.Should().OnlyContain(
            piece => System.Text.Encoding.UTF8.GetByteCount("PRIVMSG #lobby " + piece.Trailing) <= 510,
            "each piece is what an IRC client could have sent in its 512 bytes (the source is added on top, as for any relayed line)");
    }

    [Test]
    public async Task Parting_and_quitting_irc_users_are_announced_to_line_users_with_their_reasons()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var carol = await server.ConnectIrcAsync("carol");
        await alice.CommandAsync("JOIN #lobby");
        await carol.CommandAsync("JOIN #lobby");

        await alice.SendAsync("PART #lobby :lunch");
        await bob.ExpectAsync("* alice left #lobby (lunch)");
        (await carol.ExpectAsync("PART")).Params.Should().Equal("#lobby", "lunch");
        await bob.SendAsync("/quit tea time");

        var quit = await carol.ExpectAsync("QUIT");
        quit.SourceNick.Should().Be("bob");
        quit.Trailing.Should().Be("Quit: tea time");
    }

    [Test]
    public async Task An_irc_private_action_and_formatted_reasons_reach_line_users_plainly()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.CommandAsync("JOIN #lobby");

        await alice.SendAsync("PRIVMSG bob :\u0001ACTION \u0002hugs\u0002 bob\u0001");
        await bob.ExpectAsync("[pm] * alice hugs bob");
        await alice.SendAsync("PART #lobby :\u000304see\u0003 you");
        await bob.ExpectAsync("* alice left #lobby (see you)");
    }

    [Test]
    public async Task A_rooms_key_is_shown_to_its_members_only()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #den");
        await alice.CommandAsync("MODE #den +k sesame");

        (await alice.CommandAsync("MODE #den")).Single(r => r.Command == "324").Params.Skip(2).Should().Equal("+ntk", "sesame");
        (await bob.CommandAsync("MODE #den")).Single(r => r.Command == "324").Params.Skip(2).Should().Equal("+ntk", "*");
    }

    [Test]
    public async Task Someone_in_two_shared_rooms_changes_nick_and_quits_once_for_an_irc_client()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("JOIN #lobby,#tea");
        await bob.CommandAsync("/join #tea");

        await bob.CommandAsync("/nick robert");
        await bob.SendAsync("/quit done");
        await bob.ExpectClosedAsync();
        await alice.ExpectAsync("QUIT");
        var after = await alice.SyncAsync();

        alice.Connection.Seen.Count(line => line.Contains(" NICK ", StringComparison.Ordinal)).Should().Be(1);
        alice.Connection.Seen.Count(line => line.Contains(" QUIT ", StringComparison.Ordinal)).Should().Be(1);
        after.Should().NotContain(r => r.Command == "QUIT");
    }
}
