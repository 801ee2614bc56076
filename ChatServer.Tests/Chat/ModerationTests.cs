using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

/// <summary>
/// Room moderation through the line protocol over real sockets: each command (<c>/topic</c>, <c>/kick</c>,
/// <c>/ban</c>, <c>/unban</c>, <c>/op</c>, <c>/deop</c>, <c>/voice</c>, <c>/devoice</c>, <c>/mode</c>,
/// <c>/invite</c>, <c>/join #room KEY</c>) and each refusal, as docs/protocol.md shows them.
/// (<see cref="RoomModerationUnitTests"/> covers the room's rules one by one.)
/// </summary>
public class ModerationTests
{
    private const string Fixed = "! #lobby has no operators: its topic and modes are fixed";

    [Test]
    public async Task Who_marks_operators_with_at_and_voiced_members_with_plus_and_op_moves_with_op_and_deop()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinedAsync(server, "alice", "#dev");
        await using var bob = await JoinedAsync(server, "bob", "#dev");
        await using var carol = await JoinedAsync(server, "carol", "#dev");

        (await alice.CommandAsync("/voice carol")).Should().Equal("* alice sets mode +v carol on #dev");
        await bob.ExpectAsync("* alice sets mode +v carol on #dev");
        (await bob.CommandAsync("/who")).Should().Equal("* members of #dev (3): @alice, bob, +carol");

        (await alice.CommandAsync("/op bob")).Should().Equal("* alice sets mode +o bob on #dev");
        (await bob.CommandAsync("/deop alice")).Should().Equal("* bob sets mode -o alice on #dev");
        (await alice.CommandAsync("/devoice carol")).Should().Equal("! you are not an operator of #dev");
        (await bob.CommandAsync("/devoice carol")).Should().Equal("* bob sets mode -v carol on #dev");
        (await carol.CommandAsync("/who #dev")).Should().Equal("* members of #dev (3): alice, @bob, carol");
        (await carol.CommandAsync("/who #lobby")).Should().Equal("* members of #lobby (3): alice, bob, carol");
    }

    [Test]
    public async Task Topic_is_set_by_an_operator_under_plus_t_told_to_every_member_and_shown_to_a_joiner()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinedAsync(server, "alice", "#dev");
        await using var bob = await JoinedAsync(server, "bob", "#dev");
        await using var dave = await server.ConnectAsync("dave");

        (await bob.CommandAsync("/topic")).Should().Equal("* #dev has no topic");
        (await bob.CommandAsync("/topic mine")).Should().Equal("! you are not an operator of #dev");
        (await alice.CommandAsync("/topic release on friday")).Should().Equal("* alice set the topic of #dev: release on friday");
        await bob.ExpectAsync("* alice set the topic of #dev: release on friday");

        await using var carol = await server.ConnectAsync("carol");
        (await carol.CommandAsync("/join #dev")).Should().Equal("* you joined #dev (2 others here)", "* topic of #dev: release on friday (set by alice)");
        (await carol.CommandAsync("/topic")).Should().Equal("* topic of #dev: release on friday (set by alice)");
        (await dave.CommandAsync("/topic mine")).Should().Equal(Fixed);

        (await alice.CommandAsync("/mode #dev -t")).Should().Equal("* alice sets mode -t on #dev");
        (await bob.CommandAsync("/topic ")).Should().Equal("* topic of #dev: release on friday (set by alice)");
        (await bob.CommandAsync("/topic bob's now")).Should().Equal("* bob set the topic of #dev: bob's now");
    }

    [Test]
    public async Task A_kicked_member_is_told_and_is_out_of_the_room_while_the_others_see_the_kick()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinedAsync(server, "alice", "#dev");
        await using var bob = await JoinedAsync(server, "bob", "#dev");
        await using var carol = await server.ConnectAsync("carol");

        (await bob.CommandAsync("/kick alice")).Should().Equal("! you are not an operator of #dev");
        (await alice.CommandAsync("/kick nobody")).Should().Equal("! no such nick nobody");
        (await alice.CommandAsync("/kick carol")).Should().Equal("! carol is not in #dev");
        (await alice.CommandAsync("/kick bob enough")).Should().Equal("* alice kicked bob from #dev (enough)");
        await bob.ExpectAsync("* alice kicked you from #dev (enough)");

        (await bob.CommandAsync("/part #dev")).Should().Equal("! you are not in #dev");
        await bob.SendAsync("back in the lobby");
        await alice.ExpectAsync("[#lobby] <bob> back in the lobby");
        (await alice.CommandAsync("/who #dev")).Should().Equal("* members of #dev (1): @alice");
        (await bob.CommandAsync("/kick alice")).Should().Equal(Fixed);
        (await bob.CommandAsync("/join #dev")).Should().Equal("* you joined #dev (1 other here)");
        alice.Seen.Should().NotContain(l => l.StartsWith("* bob left", StringComparison.Ordinal), "the kick says it");
    }

    [Test]
    public async Task A_ban_keeps_a_matching_person_out_and_silent_and_unban_lifts_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinedAsync(server, "alice", "#dev");
        await using var bob = await JoinedAsync(server, "bob", "#dev");

        (await alice.CommandAsync("/ban")).Should().Equal("* #dev has no bans");
        (await alice.CommandAsync("/ban Bo?")).Should().Equal("* alice sets mode +b Bo?!*@* on #dev");
        (await bob.CommandAsync("can I speak?")).Should().Contain("! cannot send to #dev: you are banned (+b)");
        (await alice.CommandAsync("/ban")).Should().Equal("* bans of #dev: Bo?!*@* (by alice)");
        await bob.CommandAsync("/part");
        (await bob.CommandAsync("/join #dev")).Should().Equal("! cannot join #dev: you are banned (+b)");

        (await alice.CommandAsync("/unban bo?")).Should().Equal("* alice sets mode -b Bo?!*@* on #dev");
        (await bob.CommandAsync("/join #dev")).Should().Equal("* you joined #dev (1 other here)");
        await bob.SendAsync("free again");
        await alice.ExpectAsync("[#dev] <bob> free again");
        alice.Seen.Should().NotContain(l => l.Contains("can I speak", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_key_is_needed_to_join_a_room_with_one()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinedAsync(server, "alice", "#dev");
        await using var bob = await server.ConnectAsync("bob");

        (await alice.CommandAsync("/mode #dev +k s3cret")).Should().Equal("* alice sets mode +k s3cret on #dev");
        (await alice.CommandAsync("/mode #dev +k other")).Should().Equal("! #dev has a key already; -k first");
        (await bob.CommandAsync("/mode #dev")).Should().Equal(["* modes of #dev: +ntk *"], "only members learn the key");
        (await bob.CommandAsync("/join #dev")).Should().Equal("! cannot join #dev: it needs a key (+k): /join #dev KEY");
        (await bob.CommandAsync("/join #dev wrong")).Should().Equal("! cannot join #dev: it needs a key (+k): /join #dev KEY");
        (await bob.CommandAsync("/join #dev s3cret")).Should().Equal("* you joined #dev (1 other here)");
        (await alice.CommandAsync("/mode #dev -k")).Should().Equal("* alice sets mode -k s3cret on #dev");
    }

    [Test]
    public async Task A_limit_refuses_joiners_once_the_room_is_full()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinedAsync(server, "alice", "#dev");
        await using var bob = await server.ConnectAsync("bob");

        (await alice.CommandAsync("/mode #dev +l many")).Should().Equal("! invalid argument for +l: many");
        (await alice.CommandAsync("/mode #dev +l 1")).Should().Equal("* alice sets mode +l 1 on #dev");
        (await bob.CommandAsync("/join #dev")).Should().Equal("! cannot join #dev: it is full (+l)");
        (await alice.CommandAsync("/mode #dev -l")).Should().Equal("* alice sets mode -l on #dev");
        (await bob.CommandAsync("/join #dev")).Should().Equal("* you joined #dev (1 other here)");
    }

    [Test]
    public async Task An_invite_only_room_takes_whom_an_operator_invited()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinedAsync(server, "alice", "#dev");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");

        (await alice.CommandAsync("/mode #dev +i")).Should().Equal("* alice sets mode +i on #dev");
        (await bob.CommandAsync("/join #dev")).Should().Equal("! cannot join #dev: it is invite-only (+i); ask one of its operators for an /invite");
        (await carol.CommandAsync("/invite bob #dev")).Should().Equal("! you are not in #dev");
        (await carol.CommandAsync("/invite bob #nowhere")).Should().Equal("! no such room #nowhere");
        (await alice.CommandAsync("/invite nobody")).Should().Equal("! no such nick nobody");
        (await alice.CommandAsync("/invite bob")).Should().Equal("* you invited bob to #dev");
        await bob.ExpectAsync("* alice invites you to #dev; /join #dev");

        (await bob.CommandAsync("/join #dev")).Should().Equal("* you joined #dev (1 other here)");
        (await bob.CommandAsync("/invite carol")).Should().Equal("! you are not an operator of #dev");
        (await alice.CommandAsync("/invite bob")).Should().Equal("! bob is already in #dev");
    }

    [Test]
    public async Task In_a_moderated_room_only_voiced_members_and_operators_are_heard()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinedAsync(server, "alice", "#dev");
        await using var bob = await JoinedAsync(server, "bob", "#dev");

        (await alice.CommandAsync("/mode #dev +m")).Should().Equal("* alice sets mode +m on #dev");
        (await bob.CommandAsync("hello?")).Should().Contain("! cannot send to #dev: it is moderated (+m)");
        (await alice.CommandAsync("/voice bob")).Should().Equal("* alice sets mode +v bob on #dev");
        await bob.SendAsync("now I can");
        await alice.ExpectAsync("[#dev] <bob> now I can");
        alice.Seen.Should().NotContain("[#dev] <bob> hello?");
    }

    [Test]
    public async Task Mode_requests_are_refused_with_a_reason_for_the_whole_and_for_each_change()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinedAsync(server, "alice", "#dev");
        await using var bob = await JoinedAsync(server, "bob", "#dev");
        await using var carol = await JoinedAsync(server, "carol", "#other");

        (await bob.CommandAsync("/mode #dev +m")).Should().Equal("! you are not an operator of #dev");
        (await bob.CommandAsync("/mode #nowhere +m")).Should().Equal("! no such room #nowhere");
        (await bob.CommandAsync("/mode #other +m")).Should().Equal("! you are not in #other");
        (await bob.CommandAsync("/mode #lobby -t")).Should().Equal(Fixed);
        (await bob.CommandAsync("/mode #lobby")).Should().Equal("* modes of #lobby: +nt");
        (await bob.CommandAsync("/mode #nowhere")).Should().Equal("! no such room #nowhere");
        // The refusals answer the command; the change comes from the room, to every member.
        (await alice.CommandAsync("/mode #dev +mx-o nobody")).Should().Equal(
            "! unknown mode +x; the modes are +o +v +b +k +l +m +n +t +i +s",
            "! no such nick nobody",
            "* alice sets mode +m on #dev");
        (await alice.CommandAsync("/op carol")).Should().Equal("! carol is not in #dev");
        (await alice.CommandAsync("/mode #dev +o")).Should().Equal("! +o needs an argument");
        (await carol.CommandAsync("/ban")).Should().Equal("* #other has no bans");
    }

    [Test]
    public async Task Help_lists_every_moderation_command()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();

        var help = string.Join("\n", await alice.CommandAsync("/help"));

        foreach (var command in new[] { "/topic", "/kick", "/ban", "/unban", "/op", "/deop", "/voice", "/devoice", "/mode", "/invite", "/join #ROOM [KEY]" })
        {
            help.Should().Contain(command);
        }
    }

    [Test]
    public async Task A_part_right_after_a_mode_and_a_topic_is_told_after_them_not_before()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await JoinedAsync(server, "alice", "#dev");

        // One write: the three commands are queued before the room's notices of the first two come back.
        await alice.SendRawAsync("/mode #dev +m\n/topic sprint\n/part #dev\n"u8.ToArray());

        (await alice.SyncAsync()).Should().Equal(
            "* alice sets mode +m on #dev",
            "* alice set the topic of #dev: sprint",
            "* you left #dev",
            "* your current room is #lobby");
    }

    private static async Task<ChatClient> JoinedAsync(TestServer server, string nick, string room)
    {
        var client = await server.ConnectAsync(nick);
        (await client.CommandAsync($"/join {room}")).Should().ContainSingle().Which.Should().StartWith($"* you joined {room}");
        return client;
    }
}
