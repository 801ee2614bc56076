using System.Text;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Irc;

/// <summary>Bad input on the IRC port gets the numeric a real server gives, never a crash and never a line injected for anyone else.</summary>
public class IrcBadInputTests
{
    [Test]
    public async Task Control_characters_inside_parameters_inject_nothing_for_others()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectIrcAsync("carol");
        await using var alice = await server.ConnectIrcAsync("alice");
        await carol.CommandAsync("JOIN #lobby");
        await alice.CommandAsync("JOIN #lobby");

        await alice.Connection.SendRawAsync(Encoding.UTF8.GetBytes("PRIVMSG #lobby :one\rQUIT :x\0two\u001b[2J\r\n"));

        await bob.ExpectAsync("[#lobby] <alice> oneQUIT :xtwo[2J");
        var relayed = await carol.ExpectAsync("PRIVMSG");
        relayed.Trailing.Should().Be("oneQUIT :xtwo[2J");
        (await carol.SyncAsync()).Should().NotContain(reply => reply.Command == "QUIT");
    }

    [Test]
    public async Task Missing_parameters_and_targets_get_their_numerics()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");

        var replies = new List<IrcReply>();
        foreach (var line in new[] { "PRIVMSG", "PRIVMSG #lobby", "PRIVMSG #lobby :", "PRIVMSG nobody :hi", "PRIVMSG #nowhere :hi", "PRIVMSG #lobby :not in it", "JOIN", "JOIN bad-name", "PART #lobby", "WHOIS nobody", "PING" })
        {
            replies.AddRange(await alice.CommandAsync(line));
        }

        replies.Select(r => r.Command).Should().ContainInOrder("411", "412", "412", "401", "403", "404", "461", "403", "442", "401", "318", "409");
    }

    [Test]
    public async Task A_line_over_the_limit_gets_417_and_the_connection_goes_on()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");

        await alice.SendAsync("PRIVMSG alice :" + new string('x', 10_000));
        await alice.ExpectAsync("417");

        (await alice.CommandAsync("PRIVMSG alice :still here")).Should().Contain(r => r.Command == "PRIVMSG" && r.Trailing == "still here");
    }

    [TestCase("@")]
    [TestCase("@;;;= PRIVMSG alice :tags")]
    [TestCase(":")]
    [TestCase(":onlyasource")]
    [TestCase("@a=b\\ :src")]
    [TestCase("   ")]
    public async Task Malformed_tags_and_sources_are_ignored_without_harm(string line)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");

        await alice.SendAsync(line);

        (await alice.CommandAsync("PRIVMSG alice :after")).Should().Contain(r => r.Command == "PRIVMSG" && r.Trailing == "after");
    }

    [Test]
    public async Task Client_tags_may_take_4096_bytes_with_their_at_and_space_and_no_more()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice", "message-tags");

        var atLimit = await alice.CommandAsync($"@foo=bar;+baz={new string('a', 4081)} PRIVMSG alice :fits");
        var overLimit = await alice.CommandAsync($"@foo=bar;+baz={new string('a', 4082)} PRIVMSG alice :too much");

        atLimit.Single(r => r.Command == "PRIVMSG").Tags["+baz"].Should().HaveLength(4081);
        overLimit.Select(r => r.Command).Should().Equal("417");
    }
}
