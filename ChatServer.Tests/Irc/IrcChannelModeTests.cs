using ChatServer.Tests.Support;

namespace ChatServer.Tests.Irc;

/// <summary>
/// Channel modes set with IRC's MODE, each with the numerics Modern IRC (https://modern.ircdocs.horse) and,
/// where it has none, RFC 2812 give: the ban list (367/368, 474, 478), invite-only (473), the limit (471),
/// the key (467, 475), operator and voice (441, 401, 482) and unknown modes (472).
/// </summary>
public class IrcChannelModeTests
{
    [Test]
    public async Task A_ban_lists_with_367_and_368_keeps_a_matching_mask_out_with_474_and_unban_lets_it_in()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #den");

        (await alice.CommandAsync("MODE #den +b")).Select(r => r.Command).Should().Equal(["368"], "an empty ban list is its end only");
        (await alice.CommandAsync("MODE #den +b bob!*@*")).Single(r => r.Command == "MODE").Params.Should().Equal("#den", "+b", "bob!*@*");

        // "<client> <channel> <mask> [<who> <set-ts>]", then "<client> <channel> :End of channel ban list".
        var list = await bob.CommandAsync("MODE #den +b");
        list.Select(r => r.Command).Should().Equal("367", "368");
        list[0].Params.Take(4).Should().Equal("bob", "#den", "bob!*@*", "alice");
        long.Parse(list[0].Params[4], System.Globalization.CultureInfo.InvariantCulture).Should().BePositive("the set time is a UNIX timestamp");
        list[1].Params.Take(2).Should().Equal("bob", "#den");

        var refused = await bob.CommandAsync("JOIN #den");
        refused.Select(r => r.Command).Should().Equal(["474"], "a refused join gets its numeric and nothing else");
        refused[0].Params.Take(2).Should().Equal("bob", "#den");

        (await alice.CommandAsync("MODE #den -b bob!*@*")).Single(r => r.Command == "MODE").Params.Should().Equal("#den", "-b", "bob!*@*");
        (await bob.CommandAsync("JOIN #den")).Should().Contain(r => r.Command == "JOIN");
    }

    [Test]
    public async Task A_mode_string_without_a_sign_adds_so_irssis_ban_list_query_on_join_is_answered()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.CommandAsync("JOIN #den");
        await alice.CommandAsync("MODE #den +b bob!*@*");

        // What irssi sends after every JOIN (channels-query.c), and waits for the answer to.
        (await alice.CommandAsync("MODE #den b")).Select(r => r.Command).Should().Equal("367", "368");
        (await alice.CommandAsync("MODE #den m")).Single(r => r.Command == "MODE").Params.Should().Equal("#den", "+m");
    }

    [Test]
    public async Task A_ban_list_full_answers_478_with_the_channel_and_the_mode_char()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.CommandAsync("JOIN #den");

        // 100 bans (MAXLIST), four to a MODE command (MODES=4).
        for (var i = 0; i < 100; i += 4)
        {
            await alice.SendAsync($"MODE #den +bbbb x{i}!*@* x{i + 1}!*@* x{i + 2}!*@* x{i + 3}!*@*");
        }

        (await alice.SyncAsync()).Count(r => r.Command == "MODE").Should().Be(25);
        var full = await alice.CommandAsync("MODE #den +b one!*@*");

        // RFC 2812 (Modern IRC has no 478): "<client> <channel> <char> :Channel list is full".
        full.Select(r => r.Command).Should().Equal("478");
        full[0].Params.Take(3).Should().Equal("alice", "#den", "b");
        (await alice.CommandAsync("MODE #den +b")).Count(r => r.Command == "367").Should().Be(100);
    }

    [Test]
    public async Task Invite_only_refuses_with_473_until_an_operator_invites()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #den");

        (await alice.CommandAsync("MODE #den +i")).Single(r => r.Command == "MODE").Params.Should().Equal("#den", "+i");
        var refused = await bob.CommandAsync("JOIN #den");
        refused.Select(r => r.Command).Should().Equal("473");
        refused[0].Params.Take(2).Should().Equal("bob", "#den");

        (await alice.CommandAsync("INVITE bob #den")).Single(r => r.Command == "341").Params.Should().Equal("alice", "bob", "#den");
        (await bob.CommandAsync("JOIN #den")).Should().Contain(r => r.Command == "JOIN");
        (await alice.CommandAsync("MODE #den")).Single(r => r.Command == "324").Params.Should().Equal("alice", "#den", "+nti");
    }

    [Test]
    public async Task A_limit_refuses_with_471_once_the_channel_is_full_and_minus_l_lifts_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #den");

        (await alice.CommandAsync("MODE #den +l 1")).Single(r => r.Command == "MODE").Params.Should().Equal("#den", "+l", "1");
        (await alice.CommandAsync("MODE #den")).Single(r => r.Command == "324").Params.Should().Equal("alice", "#den", "+ntl", "1");
        var refused = await bob.CommandAsync("JOIN #den");
        refused.Select(r => r.Command).Should().Equal("471");
        refused[0].Params.Take(2).Should().Equal("bob", "#den");

        (await alice.CommandAsync("MODE #den -l")).Single(r => r.Command == "MODE").Params.Should().Equal("#den", "-l");
        (await bob.CommandAsync("JOIN #den")).Should().Contain(r => r.Command == "JOIN");
    }

    [Test]
    public async Task A_second_key_gets_467_and_minus_k_removes_the_key()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #den");
        await alice.CommandAsync("MODE #den +k sesame");

        // RFC 2812 (Modern IRC has no 467): "<client> <channel> :Channel key already set".
        var again = await alice.CommandAsync("MODE #den +k other");
        again.Select(r => r.Command).Should().Equal("467");
        again[0].Params.Take(2).Should().Equal("alice", "#den");
        (await bob.CommandAsync("JOIN #den other")).Select(r => r.Command).Should().Equal(["475"], "the first key stays");

        (await alice.CommandAsync("MODE #den -k")).Single(r => r.Command == "MODE").Params.Should().Equal("#den", "-k", "sesame");
        (await bob.CommandAsync("JOIN #den")).Should().Contain(r => r.Command == "JOIN");
    }

    [Test]
    public async Task Op_and_voice_are_given_and_taken_with_441_for_a_nick_not_on_the_channel_and_401_for_no_one()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await using var bob = await server.ConnectIrcAsync("bob");
        await alice.CommandAsync("JOIN #den");

        // "<client> <nick> <channel> :They aren't on that channel".
        (await alice.CommandAsync("MODE #den +o bob")).Single(r => r.Command == "441").Params.Take(3).Should().Equal("alice", "bob", "#den");
        (await alice.CommandAsync("MODE #den +v nobody")).Single(r => r.Command == "401").Params.Take(2).Should().Equal("alice", "nobody");

        await bob.CommandAsync("JOIN #den");
        (await bob.CommandAsync("MODE #den +m")).Single(r => r.Command == "482").Params.Take(2).Should().Equal("bob", "#den");
        await alice.SendAsync("MODE #den +v bob");
        var voiced = await bob.ExpectAsync("MODE");
        voiced.Params.Should().Equal("#den", "+v", "bob");
        voiced.SourceNick.Should().Be("alice");
        (await bob.CommandAsync("NAMES #den")).Single(r => r.Command == "353").Trailing.Split(' ').Should().BeEquivalentTo("@alice", "+bob");

        (await alice.CommandAsync("MODE #den +o-v bob bob")).Single(r => r.Command == "MODE").Params.Should().Equal("#den", "+o-v", "bob", "bob");
        (await bob.CommandAsync("MODE #den -o alice")).Single(r => r.Command == "MODE").Params.Should().Equal("#den", "-o", "alice");
        (await alice.CommandAsync("MODE #den +m")).Single(r => r.Command == "482").Params.Take(2).Should().Equal("alice", "#den");
        (await alice.CommandAsync("NAMES #den")).Single(r => r.Command == "353").Trailing.Split(' ').Should().BeEquivalentTo("alice", "@bob");
    }

    [Test]
    public async Task An_unknown_mode_char_gets_472_and_the_known_ones_beside_it_apply()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.CommandAsync("JOIN #den");

        // "<client> <modechar> :is unknown mode char to me".
        (await alice.CommandAsync("MODE #den +z")).Single().Should().Match<IrcReply>(r => r.Command == "472" && r.Params[0] == "alice" && r.Params[1] == "z");
        var mixed = await alice.CommandAsync("MODE #den +zm");
        mixed.Select(r => r.Command).Should().BeEquivalentTo("472", "MODE");
        mixed.Single(r => r.Command == "MODE").Params.Should().Equal("#den", "+m");
    }

    [Test]
    public async Task More_than_MODES_changes_with_a_parameter_in_one_command_are_dropped()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.CommandAsync("JOIN #den");

        var set = await alice.CommandAsync("MODE #den +bbbbb a!*@* b!*@* c!*@* d!*@* e!*@*");

        set.Single(r => r.Command == "MODE").Params.Should().Equal("#den", "+bbbb", "a!*@*", "b!*@*", "c!*@*", "d!*@*");
        (await alice.CommandAsync("MODE #den +b")).Count(r => r.Command == "367").Should().Be(4, "005 says MODES=4");
    }
}
