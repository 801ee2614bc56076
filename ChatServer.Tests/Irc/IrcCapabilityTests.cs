using ChatServer.Tests.Support;

namespace ChatServer.Tests.Irc;

/// <summary>IRCv3 capabilities as the specs say: echo-message, message-tags, server-time, batch history, multi-prefix; NOTICE to rooms.</summary>
public class IrcCapabilityTests
{
    [Test]
    public async Task Message_tags_relay_client_tags_with_one_msgid_that_the_echo_shares()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice", "message-tags", "echo-message");
        await using var bob = await server.ConnectIrcAsync("bob", "message-tags");
        await using var carol = await server.ConnectIrcAsync("carol");
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.CommandAsync("JOIN #tea");
        }

        await alice.SendAsync("@+draft/reply=abc;+baz=b\\sa\\:t PRIVMSG #tea :hi");

        var echo = await alice.ExpectAsync("PRIVMSG");
        var relayed = await bob.ExpectAsync("PRIVMSG");
        relayed.Tags.Should().Contain("+baz", "b\\sa\\:t").And.Contain("+draft/reply", "abc").And.ContainKey("msgid");
        echo.Tags["msgid"].Should().Be(relayed.Tags["msgid"], "the sender's echo carries the id everyone else got");
        (await carol.ExpectAsync("PRIVMSG")).Tags.Should().BeEmpty("carol did not enable message-tags");
    }

    [Test]
    public async Task A_notice_to_a_room_stays_a_notice_for_irc_users_and_is_marked_for_line_users()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var carol = await server.ConnectIrcAsync("carol");
        await alice.CommandAsync("JOIN #lobby");
        await carol.CommandAsync("JOIN #lobby");

        await alice.SendAsync("NOTICE #lobby :the bot is restarting");

        (await carol.ExpectAsync("NOTICE")).Params.Should().Equal("#lobby", "the bot is restarting");
        await bob.ExpectAsync("[#lobby] -alice- the bot is restarting");
    }

    [Test]
    public async Task A_joiner_gets_the_history_in_a_chathistory_batch_with_server_time()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await bob.SendAsync("first words");
        await bob.SendAsync("/me nods");
        await bob.SyncAsync();
        await using var alice = await server.ConnectIrcAsync("alice", "batch", "server-time");

        await alice.SendAsync("JOIN #lobby");
        var start = await alice.ExpectAsync("BATCH");
        var first = await alice.ExpectAsync("PRIVMSG");
        var second = await alice.ExpectAsync("PRIVMSG");
        var end = await alice.ExpectAsync("BATCH");

        start.Params.Should().Equal(start.Params[0], "chathistory", "#lobby");
        var id = start.Params[0][1..];
        start.Params[0].Should().StartWith("+");
        end.Params.Should().Equal("-" + id);
        first.Params.Should().Equal("#lobby", "first words");
        second.Params.Should().Equal("#lobby", "\u0001ACTION nods\u0001");
        foreach (var line in new[] { first, second })
        {
            line.Tags["batch"].Should().Be(id);
            line.Tags["time"].Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
        }
    }

    [Test]
    public async Task Names_shows_the_operator_with_at_and_multi_prefix_shows_every_prefix()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice", "multi-prefix");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #tea");
        await bob.CommandAsync("JOIN #tea");
        await alice.CommandAsync("MODE #tea +v alice");

        (await alice.CommandAsync("NAMES #tea")).Single(r => r.Command == "353").Trailing.Split(' ').Should().BeEquivalentTo("@+alice", "bob");
        (await bob.CommandAsync("NAMES #tea")).Single(r => r.Command == "353").Trailing.Split(' ').Should().BeEquivalentTo("@alice", "bob");
    }

    [Test]
    public async Task Tagmsg_reaches_only_message_tags_clients_and_echoes_with_the_same_msgid()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice", "message-tags", "echo-message");
        await using var bob = await server.ConnectIrcAsync("bob", "message-tags");
        await using var carol = await server.ConnectIrcAsync("carol", "server-time");
        await using var dave = await server.ConnectAsync("dave");
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.CommandAsync("JOIN #tea");
        }

        await dave.CommandAsync("/join #tea");

        await alice.SendAsync("@+typing=active;notclient=x TAGMSG #tea");

        var echo = await alice.ExpectAsync("TAGMSG");
        var relayed = await bob.ExpectAsync("TAGMSG");
        relayed.Tags.Should().Contain("+typing", "active").And.NotContainKey("notclient");
        relayed.Tags["msgid"].Should().Be(echo.Tags["msgid"]);
        (await carol.SyncAsync()).Should().NotContain(r => r.Command == "TAGMSG");
        (await dave.SyncAsync()).Should().NotContain(line => line.Contains("alice", StringComparison.Ordinal), "a line user never sees tag-only messages");
    }

    [Test]
    public async Task Away_notify_tells_roommates_who_goes_away_comes_back_and_joins_while_away()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob", "away-notify");
        await using var carol = await server.ConnectIrcAsync("carol");
        await alice.CommandAsync("JOIN #tea");
        await bob.CommandAsync("JOIN #tea");

        await alice.SendAsync("AWAY :brewing");
        (await bob.ExpectAsync("AWAY")).Params.Should().Equal("brewing");
        await alice.SendAsync("AWAY");
        var back = await bob.ExpectAsync("AWAY");
        back.SourceNick.Should().Be("alice");
        back.Params.Should().BeEmpty();

        await carol.CommandAsync("AWAY :napping");
        await carol.SendAsync("JOIN #tea");
        await bob.ExpectAsync("JOIN");
        var joinedAway = await bob.ExpectAsync("AWAY");
        joinedAway.SourceNick.Should().Be("carol");
        joinedAway.Params.Should().Equal("napping");
        (await alice.SyncAsync()).Should().NotContain(r => r.Command == "AWAY", "alice did not ask for away-notify");
    }
}
