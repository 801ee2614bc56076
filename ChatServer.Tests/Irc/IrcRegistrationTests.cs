using ChatServer.Tests.Support;

namespace ChatServer.Tests.Irc;

/// <summary>Connection registration as Modern IRC describes it: NICK/USER, CAP negotiation, PASS, and what comes back.</summary>
public class IrcRegistrationTests
{
    [Test]
    public async Task Nick_and_user_get_the_welcome_burst_with_the_limits_the_server_applies()
    {
        await using var server = await TestServer.StartAsync(options => options with { ServerName = "irc.test" });
        await using var alice = await IrcClient.ConnectAsync(server.IrcPort);

        var welcome = await alice.RegisterAsync("alice");

        welcome.Select(r => r.Command).Should().ContainInOrder("001", "002", "003", "004", "005", "251", "255", "422");
        welcome.Should().OnlyContain(r => r.Source == "irc.test" && r.Params[0] == "alice");
        welcome[0].Trailing.Should().EndWith("alice!~alice@" + welcome[0].Trailing.Split('@')[1]);
        var support = welcome.Where(r => r.Command == "005").SelectMany(r => r.Params.Skip(1).SkipLast(1)).ToList();
        support.Should().Contain(["CASEMAPPING=ascii", "CHANTYPES=#", "NICKLEN=20", "CHANNELLEN=33", "PREFIX=(ov)@+", "NETWORK=SupervisedChat"]);
        support.Should().Contain(token => token.StartsWith("TOPICLEN=", StringComparison.Ordinal));
        support.Should().Contain(token => token.StartsWith("CHANMODES=", StringComparison.Ordinal));
    }

    [Test]
    public async Task An_irc_user_is_put_in_no_room()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        var who = await bob.CommandAsync("/who #lobby");

        who.Should().Contain("* members of #lobby (1): bob");
        (await alice.SyncAsync()).Should().NotContain(r => r.Command == "JOIN");
    }

    [Test]
    public async Task Capability_negotiation_holds_registration_until_cap_end()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await IrcClient.ConnectAsync(server.IrcPort);

        await alice.SendAsync("CAP LS 302");
        var ls = await alice.ExpectAsync("CAP");
        ls.Params.Should().Equal("*", "LS", ls.Trailing);
        ls.Trailing.Split(' ').Should().Contain(["server-time", "echo-message", "batch", "multi-prefix", "cap-notify"]);
        await alice.SendAsync("NICK alice");
        await alice.SendAsync("USER alice 0 * :Alice");
        await alice.SendAsync("CAP REQ :server-time bogus-cap");
        (await alice.ExpectAsync("CAP")).Params.Should().Equal("alice", "NAK", "server-time bogus-cap");
        await alice.SendAsync("CAP REQ :server-time echo-message");
        (await alice.ExpectAsync("CAP")).Params.Should().Equal("alice", "ACK", "server-time echo-message");
        await alice.SendAsync("PING before-end");
        (await alice.ExpectAsync("PONG")).Trailing.Should().Be("before-end");
        alice.Connection.Seen.Should().NotContain(line => line.Contains(" 001 ", StringComparison.Ordinal), "registration waits for CAP END");

        await alice.SendAsync("CAP END");
        await alice.ExpectAsync("001");
        await alice.SendAsync("CAP LIST");
        (await alice.ExpectAsync("CAP")).Trailing.Split(' ').Should().BeEquivalentTo("cap-notify", "echo-message", "server-time");
    }

    [Test]
    public async Task A_taken_nick_gets_433_and_another_try_registers()
    {
        await using var server = await TestServer.StartAsync();
        await using var line = await server.ConnectAsync("Alice");
        await using var irc = await IrcClient.ConnectAsync(server.IrcPort);

        await irc.SendAsync("NICK alice");
        (await irc.ExpectAsync("433")).Params.Should().Equal("*", "alice", "Nickname is already in use");
        await irc.SendAsync("USER x 0 * :X");
        await irc.SendAsync("NICK alice_");

        (await irc.ExpectAsync("001")).Params[0].Should().Be("alice_");
    }

    [TestCase("9lives")]
    [TestCase("-dash")]
    [TestCase("a[b]")]
    [TestCase("waytoolongnicknamethatgoeson")]
    public async Task A_nick_outside_the_one_rule_gets_432(string nick)
    {
        await using var server = await TestServer.StartAsync();
        await using var irc = await IrcClient.ConnectAsync(server.IrcPort);

        await irc.SendAsync($"NICK {nick}");

        (await irc.ExpectAsync("432")).Params.Should().Equal("*", nick, "Erroneous nickname");
    }

    [Test]
    public async Task Commands_before_registration_get_451_and_bad_registration_commands_their_numerics()
    {
        await using var server = await TestServer.StartAsync();
        await using var irc = await IrcClient.ConnectAsync(server.IrcPort);

        await irc.SendAsync("JOIN #lobby");
        (await irc.ExpectAsync("451")).Params[0].Should().Be("*");
        await irc.SendAsync("NICK");
        await irc.ExpectAsync("431");
        await irc.SendAsync("USER onlyone");
        (await irc.ExpectAsync("461")).Params[1].Should().Be("USER");
        await irc.SendAsync("CAP FROB");
        await irc.ExpectAsync("410");

        await irc.RegisterAsync("late");
        await irc.SendAsync("USER again 0 * :Again");
        await irc.ExpectAsync("462");
        await irc.SendAsync("FROBNICATE now");
        (await irc.ExpectAsync("421")).Params[1].Should().Be("FROBNICATE");
    }

    [Test]
    public async Task With_a_password_a_missing_or_wrong_pass_gets_464_and_is_closed_and_the_right_one_registers()
    {
        await using var server = await TestServer.StartAsync(options => options with { IrcPassword = "s3cret" });
        await using var wrong = await IrcClient.ConnectAsync(server.IrcPort);
        await using var missing = await IrcClient.ConnectAsync(server.IrcPort);
        await using var right = await IrcClient.ConnectAsync(server.IrcPort);

        await wrong.SendAsync("PASS guess");
        await wrong.SendAsync("NICK wrong");
        await wrong.SendAsync("USER wrong 0 * :W");
        await missing.SendAsync("NICK missing");
        await missing.SendAsync("USER missing 0 * :M");
        await right.SendAsync("PASS s3cret");
        await right.RegisterAsync("right");

        foreach (var refused in new[] { wrong, missing })
        {
            await refused.ExpectAsync("464");
            (await refused.Connection.ExpectClosedAsync()).Should().Contain(line => line.StartsWith("ERROR ", StringComparison.Ordinal));
        }
    }

    [Test]
    public async Task The_chat_port_given_as_0_gives_a_free_irc_port_and_no_irc_turns_it_off()
    {
        await using var server = await TestServer.StartAsync();
        await using var without = await TestServer.StartAsync(options => options with { EnableIrc = false });

        server.IrcPort.Should().NotBe(6667).And.NotBe(server.Port);
        without.Host.IrcEndPoint.Should().BeNull();
    }
}
