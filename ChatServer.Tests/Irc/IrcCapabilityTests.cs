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
}
