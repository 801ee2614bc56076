using ChatServer.Tests.Support;

namespace ChatServer.Tests.Irc;

/// <summary>The commands that ask: WHO, WHOIS, WHOWAS, ISON, USERHOST, LUSERS, LIST, AWAY, OPER and the server's own.</summary>
public class IrcQueryTests
{
    [Test]
    public async Task Whois_shows_a_line_user_and_an_irc_user_in_the_case_they_chose_with_cloaked_hosts()
    {
        await using var server = await TestServer.StartAsync(options => options with { ServerName = "irc.test" });
        await using var bob = await server.ConnectAsync("Bob");
        await using var alice = await server.ConnectIrcAsync("Alice");

        var aboutBob = await alice.CommandAsync("WHOIS bob");
        var user = aboutBob.Single(r => r.Command == "311");
        user.Params.Take(4).Should().Equal("Alice", "Bob", "Bob", user.Params[3]);
        user.Params[3].Should().MatchRegex(@"^[0-9a-f]{8}\.cloak$");
        aboutBob.Select(r => r.Command).Should().ContainInOrder("311", "312", "318");

        var self = await alice.CommandAsync("WHOIS alice");
        self.Single(r => r.Command == "311").Params.Should().Equal("Alice", "Alice", "~Alice", user.Params[3], "*", "Alice Real");
    }

    [Test]
    public async Task Who_lists_a_room_and_masks_and_invisible_people_hide_from_masks_of_strangers()
    {
        await using var server = await TestServer.StartAsync();
        await using var evan = await server.ConnectIrcAsync("evan");
        await using var eve = await server.ConnectIrcAsync("eve");
        await using var shiv = await server.ConnectIrcAsync("shiv");
        await evan.CommandAsync("MODE evan +i");

        var masked = await shiv.CommandAsync("WHO ev*");
        masked.Where(r => r.Command == "352").Select(r => r.Params[5]).Should().Equal("eve");
        masked.Last(r => r.Command == "315").Params[1].Should().Be("ev*", "the mask comes back as sent");
        (await shiv.CommandAsync("WHO EVAN")).Where(r => r.Command == "352").Select(r => r.Params[5]).Should().Equal(["evan"], "an exact nick finds an invisible person, in its own case");

        await evan.CommandAsync("JOIN #tea");
        await shiv.CommandAsync("JOIN #tea");
        (await shiv.CommandAsync("WHO ev*")).Where(r => r.Command == "352").Select(r => r.Params[5]).Should().Equal("evan", "eve");
        var room = (await shiv.CommandAsync("WHO #tea")).Where(r => r.Command == "352").ToList();
        room.Select(r => r.Params[1]).Should().OnlyContain(channel => channel == "#tea");
        room.Select(r => r.Params[5]).Should().BeEquivalentTo("evan", "shiv");
    }

    [Test]
    public async Task Away_sets_301_on_private_messages_and_g_in_who_and_comes_back()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");

        (await alice.CommandAsync("AWAY :at lunch")).Should().Contain(r => r.Command == "306");
        var reply = await bob.CommandAsync("PRIVMSG alice :hello?");
        reply.Single(r => r.Command == "301").Params.Should().Equal("bob", "alice", "at lunch");
        (await bob.CommandAsync("WHO alice")).Single(r => r.Command == "352").Params[6].Should().Be("G");
        (await bob.CommandAsync("USERHOST alice")).Single(r => r.Command == "302").Trailing.Should().StartWith("alice=-~alice@");

        (await alice.CommandAsync("AWAY")).Should().Contain(r => r.Command == "305");
        (await bob.CommandAsync("PRIVMSG alice :back?")).Should().NotContain(r => r.Command == "301");
    }

    [Test]
    public async Task Whowas_remembers_who_left_newest_first_and_ison_knows_who_is_here()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using (var first = await server.ConnectIrcAsync("ghost"))
        {
            await first.SendAsync("NICK ghost2");
            await first.ExpectAsync("NICK");
        }

        var was = await WaitForWhowasAsync(alice, "ghost2");
        was.Where(r => r.Command == "314").Select(r => r.Params[1]).Should().Equal("ghost2");
        (await alice.CommandAsync("WHOWAS ghost*")).Where(r => r.Command == "314").Select(r => r.Params[1]).Should().Equal("ghost2", "ghost");
        (await alice.CommandAsync("WHOWAS nobody")).Select(r => r.Command).Should().ContainInOrder("406", "369");
        (await alice.CommandAsync("ISON alice ghost ghost2")).Single(r => r.Command == "303").Trailing.Should().Be("alice");
    }

    [Test]
    public async Task Oper_with_the_configured_account_grants_plus_o_and_others_see_it()
    {
        await using var server = await TestServer.StartAsync(options => options with { IrcOperator = "boss:hunter2" });
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");

        (await alice.CommandAsync("OPER boss wrong")).Should().Contain(r => r.Command == "464");
        (await alice.CommandAsync("OPER nobody hunter2")).Should().Contain(r => r.Command == "464", "a wrong name and a wrong password get the same answer");
        var granted = await alice.CommandAsync("OPER boss hunter2");

        granted.Select(r => r.Command).Should().ContainInOrder("381", "MODE");
        (await bob.CommandAsync("WHOIS alice")).Should().Contain(r => r.Command == "313");
        (await bob.CommandAsync("WHO alice")).Single(r => r.Command == "352").Params[6].Should().Be("H*");
    }

    [Test]
    public async Task Lusers_counts_registered_people_and_the_most_at_once()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using (await server.ConnectIrcAsync("bob"))
        {
        }

        await using var unregistered = await IrcClient.ConnectAsync(server.IrcPort);
        await unregistered.SendAsync("NICK pending");

        var global = await WaitForAsync(alice, "LUSERS", replies => replies.Single(r => r.Command == "266").Params[1] == "1");
        global.Single(r => r.Command == "266").Params.Take(3).Should().Equal("alice", "1", "2");
        global.Single(r => r.Command == "251").Trailing.Should().StartWith("There are 1 users");
    }

    [Test]
    public async Task List_shows_rooms_with_people_and_their_counts()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #tea,#cake");
        await bob.CommandAsync("JOIN #tea");

        var list = await alice.CommandAsync("LIST");

        list.Where(r => r.Command == "322").Select(r => (r.Params[1], r.Params[2])).Should().BeEquivalentTo([("#cake", "1"), ("#tea", "2")], "an empty #lobby is no channel for IRC");
        list.Select(r => r.Command).Should().StartWith("321").And.EndWith("323");
    }

    [Test]
    public async Task Time_version_info_and_motd_answer_with_their_numerics()
    {
        await using var server = await TestServer.StartAsync(options => options with { ServerName = "irc.test" });
        await using var alice = await server.ConnectIrcAsync("alice");

        (await alice.CommandAsync("TIME")).Single(r => r.Command == "391").Params[1].Should().Be("irc.test");
        (await alice.CommandAsync("VERSION")).Single(r => r.Command == "351").Params[1].Should().StartWith("SupervisedChat-");
        (await alice.CommandAsync("INFO")).Select(r => r.Command).Should().Equal("371", "374");
        (await alice.CommandAsync("MOTD")).Select(r => r.Command).Should().Equal("422");
    }

    [Test]
    public async Task Whois_lists_ones_own_channels_with_their_prefixes_in_319_and_ends_with_the_nick_as_asked()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await bob.CommandAsync("JOIN #cake");
        await alice.CommandAsync("JOIN #tea,#cake");

        // "<client> <nick> :[prefix]<channel>{ [prefix]<channel>}", the prefix the highest the person has there.
        var self = await alice.CommandAsync("WHOIS ALICE");
        self.Single(r => r.Command == "319").Params.Take(2).Should().Equal("alice", "alice");
        self.Single(r => r.Command == "319").Trailing.Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo("@#tea", "#cake");

        // RPL_ENDOFWHOIS: "<nick> MUST be exactly the <nick> parameter sent by the client", in its case.
        self.Last().Should().Match<IrcReply>(r => r.Command == "318" && r.Params[1] == "ALICE");
        (await alice.CommandAsync("WHOIS nobody")).Select(r => (r.Command, r.Params[1])).Should().Equal(("401", "nobody"), ("318", "nobody"));
    }

    [Test]
    public async Task User_mode_of_someone_else_is_502_of_no_one_401_and_an_unknown_flag_501_beside_the_modes_applied()
    {
        await using var server = await TestServer.StartAsync(options => options with { IrcOperator = "boss:hunter2" });
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");

        (await alice.CommandAsync("MODE bob +i")).Single().Should().Match<IrcReply>(r => r.Command == "502" && r.Params[0] == "alice");
        (await alice.CommandAsync("MODE bob")).Single().Command.Should().Be("502", "nor may one view another's modes");
        (await alice.CommandAsync("MODE nobody +i")).Single().Should().Match<IrcReply>(r => r.Command == "401" && r.Params[1] == "nobody");

        // Modern IRC: apply the modes that are implemented, then 501 along with the MODE.
        var mixed = await alice.CommandAsync("MODE alice +iz");
        mixed.Select(r => r.Command).Should().BeEquivalentTo("501", "MODE");
        mixed.Single(r => r.Command == "501").Params[0].Should().Be("alice");
        mixed.Single(r => r.Command == "MODE").Params.Should().Equal("alice", "+i");
        (await alice.CommandAsync("MODE alice")).Single(r => r.Command == "221").Params[1].Should().Be("+i");

        // RFC 2812: +o by MODE is ignored (OPER grants it), -o gives it up.
        (await alice.CommandAsync("MODE alice +o")).Should().BeEmpty();
        await alice.CommandAsync("OPER boss hunter2");
        (await alice.CommandAsync("MODE alice -o")).Single().Should().Match<IrcReply>(r => r.Command == "MODE" && r.Params[1] == "-o");
        (await bob.CommandAsync("WHOIS alice")).Should().NotContain(r => r.Command == "313");
    }

    /// <summary>Asks WHOWAS until <paramref name="nick"/> is in the history: a quit reaches presence after the socket closes.</summary>
    private static Task<IReadOnlyList<IrcReply>> WaitForWhowasAsync(IrcClient client, string nick) =>
        WaitForAsync(client, $"WHOWAS {nick}", replies => replies.Any(r => r.Command == "314"));

    /// <summary>Sends <paramref name="command"/> until its replies satisfy <paramref name="done"/> (bounded: something the server does after a disconnect).</summary>
    private static async Task<IReadOnlyList<IrcReply>> WaitForAsync(IrcClient client, string command, Func<IReadOnlyList<IrcReply>, bool> done)
    {
        var deadline = DateTime.UtcNow + TestServer.Wait;
        while (true)
        {
            var replies = await client.CommandAsync(command);
            if (done(replies) || DateTime.UtcNow > deadline)
            {
                return replies;
            }
        }
    }
}
