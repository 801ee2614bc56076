using ChatServer.Tests.Support;

namespace ChatServer.Tests.Irc;

/// <summary>Operators, topics, modes, kicks and invites from IRC, seen by IRC and line users alike.</summary>
public class IrcModerationTests
{
    [Test]
    public async Task The_first_joiner_is_operator_sets_the_topic_and_kicks_and_everyone_sees_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        (await alice.CommandAsync("JOIN #tea")).Single(r => r.Command == "353").Trailing.Should().Be("@alice");
        await bob.CommandAsync("JOIN #tea");
        await carol.CommandAsync("/join #tea");

        (await bob.CommandAsync("TOPIC #tea :bob's topic")).Single(r => r.Command == "482").Params[1].Should().Be("#tea");
        await alice.SendAsync("TOPIC #tea :green tea only");
        (await bob.ExpectAsync("TOPIC")).Params.Should().Equal("#tea", "green tea only");
        await carol.ExpectAsync(line => line.Contains("green tea only", StringComparison.Ordinal));
        var topic = await bob.CommandAsync("TOPIC #tea");
        topic.Single(r => r.Command == "332").Params.Should().Equal("bob", "#tea", "green tea only");
        topic.Single(r => r.Command == "333").Params[2].Should().Be("alice");

        await alice.SendAsync("KICK #tea bob :no coffee");
        var kick = await bob.ExpectAsync("KICK");
        kick.Params.Should().Equal("#tea", "bob", "no coffee");
        kick.SourceNick.Should().Be("alice");
        await carol.ExpectAsync(line => line.Contains("bob", StringComparison.Ordinal) && line.Contains("no coffee", StringComparison.Ordinal));
        (await bob.CommandAsync("PRIVMSG #tea :still here?")).Should().Contain(r => r.Command == "404", "a kicked person is out of the room");
    }

    [Test]
    public async Task Join_0_parts_every_channel_and_each_part_is_seen()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #tea,#cake");
        await bob.CommandAsync("JOIN #tea");

        var parted = await alice.CommandAsync("JOIN 0");

        parted.Where(r => r.Command == "PART").Select(r => r.Params[0]).Should().BeEquivalentTo("#tea", "#cake");
        parted.Should().OnlyContain(r => r.Command == "PART" && r.SourceNick == "alice");
        (await bob.ExpectAsync("PART")).Should().Match<IrcReply>(r => r.SourceNick == "alice" && r.Params[0] == "#tea");
        (await alice.CommandAsync("JOIN 0")).Should().BeEmpty("in no channel, there is nothing to part");
        (await bob.CommandAsync("NAMES #tea")).Single(r => r.Command == "353").Trailing.Should().Be("bob");
    }

    [Test]
    public async Task Invite_answers_341_and_tells_the_invitee_or_refuses_with_the_numeric_of_each_case()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await using var carol = await server.ConnectIrcAsync("carol");
        await using var dave = await server.ConnectIrcAsync("dave");
        await alice.CommandAsync("JOIN #den");
        await carol.CommandAsync("JOIN #den");

        (await alice.CommandAsync("INVITE bob")).Single(r => r.Command == "461").Params.Take(2).Should().Equal("alice", "INVITE");
        (await alice.CommandAsync("INVITE bob #nowhere")).Single(r => r.Command == "403").Params.Take(2).Should().Equal("alice", "#nowhere");
        (await dave.CommandAsync("INVITE bob #den")).Single(r => r.Command == "442").Params.Take(2).Should().Equal("dave", "#den");
        (await alice.CommandAsync("INVITE nobody #den")).Single(r => r.Command == "401").Params.Take(2).Should().Equal("alice", "nobody");
        (await alice.CommandAsync("INVITE carol #den")).Single(r => r.Command == "443").Params.Take(3).Should().Equal("alice", "carol", "#den");

        await alice.CommandAsync("MODE #den +i");
        (await carol.CommandAsync("INVITE bob #den")).Single(r => r.Command == "482").Params.Take(2).Should().Equal("carol", "#den");
        (await bob.CommandAsync("JOIN #den")).Select(r => r.Command).Should().Equal("473");

        // "<client> <nick> <channel>" to the inviter; ":inviter INVITE nick channel" to the invitee, and to no one else.
        var invited = await alice.CommandAsync("INVITE bob #den");
        invited.Select(r => r.Command).Should().Equal("341");
        invited[0].Params.Should().Equal("alice", "bob", "#den");
        var told = await bob.ExpectAsync("INVITE");
        told.Params.Should().Equal("bob", "#den");
        told.SourceNick.Should().Be("alice");
        (await carol.SyncAsync()).Should().NotContain(r => r.Command == "INVITE");
        (await bob.CommandAsync("JOIN #den")).Should().Contain(r => r.Command == "JOIN");
    }

    [Test]
    public async Task Kick_takes_at_most_the_targmax_nicks_of_005()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.CommandAsync("JOIN #den");
        var targmax = (await alice.CommandAsync("VERSION")).SelectMany(r => r.Params).Single(p => p.StartsWith("TARGMAX=", StringComparison.Ordinal));
        targmax.Should().Contain("KICK:10");

        var kicks = await alice.CommandAsync("KICK #den " + string.Join(',', Enumerable.Range(1, 12).Select(i => $"ghost{i}")) + " :out");

        kicks.Where(r => r.Command == "401").Select(r => r.Params[1]).Should().Equal(Enumerable.Range(1, 10).Select(i => $"ghost{i}"), "targets past the limit are dropped, as Modern IRC allows");
    }

    [Test]
    public async Task Kick_with_a_channel_list_pairs_each_channel_with_its_user_and_sends_one_kick_each()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await using var carol = await server.ConnectIrcAsync("carol");
        await using var dave = await server.ConnectIrcAsync("dave");
        await alice.CommandAsync("JOIN #den,#pub");
        await bob.CommandAsync("JOIN #den");
        await carol.CommandAsync("JOIN #pub");
        await dave.CommandAsync("JOIN #den,#pub");

        // RFC 2812: channels and users pair up; Modern IRC: every KICK sent has one channel and one user.
        (await alice.CommandAsync("KICK #den,#pub bob,carol :bye")).Where(r => r.Command == "KICK").Select(r => string.Join(' ', r.Params))
            .Should().Equal("#den bob bye", "#pub carol bye");
        (await dave.SyncAsync()).Where(r => r.Command == "KICK").Select(r => string.Join(' ', r.Params))
            .Should().Equal("#den bob bye", "#pub carol bye");
        (await alice.CommandAsync("KICK #den,#pub dave :bye")).Should().ContainSingle(r => r.Command == "461", "two channels for one user pair with nothing");
    }

    [Test]
    public async Task Too_many_channels_gets_405_a_channel_without_a_topic_331_and_whois_splits_319_to_fit()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        var rooms = Enumerable.Range(0, 51).Select(n => $"#{n:D2}" + new string('x', 30)).ToList();
        foreach (var ten in rooms.Take(50).Chunk(10))
        {
            await alice.SendAsync("JOIN " + string.Join(',', ten));
        }

        (await alice.SyncAsync()).Count(r => r.Command == "JOIN").Should().Be(50, "CHANLIMIT=#:50");

        // "<client> <channel> :You have joined too many channels".
        (await alice.CommandAsync($"JOIN {rooms[50]}")).Single().Should().Match<IrcReply>(r => r.Command == "405" && r.Params[0] == "alice" && r.Params[1] == rooms[50]);

        // "<client> <channel> :No topic is set".
        (await alice.CommandAsync($"TOPIC {rooms[0]}")).Single().Should().Match<IrcReply>(r => r.Command == "331" && r.Params[0] == "alice" && r.Params[1] == rooms[0]);

        // 50 channels of 33 characters are more than one line holds: several 319s, each within 512 bytes.
        var channels = (await alice.CommandAsync("WHOIS alice")).Where(r => r.Command == "319").ToList();
        channels.Should().HaveCountGreaterThan(1).And.OnlyContain(r => r.Raw.Length + 2 <= 512);
        channels.SelectMany(r => r.Trailing.Split(' ')).Should().BeEquivalentTo(rooms.Take(50).Select(room => "@" + room));
    }

    [Test]
    public async Task A_part_right_after_a_mode_and_a_topic_comes_after_them_so_the_client_never_sees_a_left_channel_change()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.CommandAsync("JOIN #tea");

        // One write: the three commands are queued before the room's MODE and TOPIC come back.
        await alice.Connection.SendRawAsync("MODE #tea +m\r\nTOPIC #tea :oolong\r\nPART #tea\r\n"u8.ToArray());

        (await alice.SyncAsync()).Select(reply => reply.Command).Should().Equal("MODE", "TOPIC", "PART");
    }

    [Test]
    public async Task Keys_limits_and_secret_rooms_answer_with_their_numerics()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #den");

        (await alice.CommandAsync("MODE #den +k :with spaces")).Single(r => r.Command == "696").Params.Should().Equal("alice", "#den", "k", "*", "Invalid mode parameter");
        var set = await alice.CommandAsync("MODE #den +ks sesame");
        set.Single(r => r.Command == "MODE").Params.Should().Equal("#den", "+ks", "sesame");
        (await alice.CommandAsync("MODE #den")).Single(r => r.Command == "324").Params.Should().Equal("alice", "#den", "+ntsk", "sesame");

        (await bob.CommandAsync("LIST")).Should().NotContain(r => r.Command == "322", "a secret room is listed only to its members");
        (await bob.CommandAsync("NAMES #den")).Select(r => r.Command).Should().Equal("366");
        (await bob.CommandAsync("JOIN #den")).Single(r => r.Command == "475").Params[1].Should().Be("#den");
        (await bob.CommandAsync("JOIN #den sesame")).Should().Contain(r => r.Command == "JOIN");
        (await bob.CommandAsync("NAMES #den")).Single(r => r.Command == "353").Params[1].Should().Be("@", "a secret room is marked @ in NAMES");
    }

    [Test]
    public async Task Lobby_keeps_its_fixed_modes_and_topic_for_irc_users_too()
    {
        await using var server = await TestServer.StartAsync(options => options with { LobbyTopic = "welcome, all" });
        await using var alice = await server.ConnectIrcAsync("alice");

        var joined = await alice.CommandAsync("JOIN #lobby");

        joined.Single(r => r.Command == "332").Trailing.Should().Be("welcome, all");
        joined.Single(r => r.Command == "353").Trailing.Should().Be("alice", "#lobby has no operator");
        (await alice.CommandAsync("MODE #lobby +m")).Should().Contain(r => r.Command == "482");
        (await alice.CommandAsync("MODE #lobby")).Single(r => r.Command == "324").Params[2].Should().Be("+nt");
    }

    [Test]
    public async Task Only_an_operator_may_kill_and_the_killed_leave_with_the_reason()
    {
        await using var server = await TestServer.StartAsync(options => options with { IrcOperator = "boss:hunter2" });
        await using var oper = await server.ConnectIrcAsync("oper");
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");

        (await alice.CommandAsync("KILL bob :begone")).Should().Contain(r => r.Command == "481");
        await oper.CommandAsync("OPER boss hunter2");
        await oper.SendAsync("KILL bob :spamming");

        await bob.ExpectClosedAsync();
        await carol.ExpectAsync("* bob left #lobby (quit: Killed (oper (spamming)))");
    }

    [Test]
    public async Task A_secret_room_is_missing_from_a_line_users_rooms_until_they_join_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("JOIN #den,#tea");
        await alice.CommandAsync("MODE #den +s");

        (await bob.CommandAsync("/rooms")).Should().Contain("* rooms: #lobby (1), #tea (1)");
        await bob.CommandAsync("/join #den");
        (await bob.CommandAsync("/rooms")).Should().Contain("* rooms: #den (2), #lobby (1), #tea (1)");
    }
}
