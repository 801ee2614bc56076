using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

public class RoomTests
{
    [Test]
    public async Task Join_creates_a_room_makes_it_current_and_announces_the_joiner_to_its_members()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");

        (await alice.CommandAsync("/join #dev")).Should().Equal("* you joined #dev (0 others here)");
        (await bob.CommandAsync("/join #dev")).Should().Equal("* you joined #dev (1 other here)");
        await alice.ExpectAsync("* bob joined #dev");
        (await carol.CommandAsync("/join #dev")).Should().Equal("* you joined #dev (2 others here)");
        await alice.ExpectAsync("* carol joined #dev");
        await bob.ExpectAsync("* carol joined #dev");

        await carol.SendAsync("hello dev");
        await alice.ExpectAsync("[#dev] <carol> hello dev");
        await bob.ExpectAsync("[#dev] <carol> hello dev");
        (await alice.CommandAsync("/rooms")).Should().Equal("* rooms: #dev (3), #lobby (3)");
    }

    [Test]
    public async Task A_room_larger_than_the_announce_limit_passes_joins_nick_changes_and_quits_silently()
    {
        await using var server = await TestServer.StartAsync(o => o with { AnnounceLimit = 2 });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.ExpectAllAsync("* guest2 joined #lobby", "* guest2 is now known as bob in #lobby");

        await using var carol = await server.ConnectAsync("carol");
        await carol.SyncAsync();
        (await alice.CommandAsync("/who")).Should().Equal("* members of #lobby (3): alice, bob, carol");
        await carol.SendAsync("/quit");
        await carol.ExpectClosedAsync();
        await bob.SendAsync("/quit");

        // Three members (the leaver counted) is over the limit; two is not.
        await alice.ExpectAsync("* bob left #lobby (quit)");
        alice.Seen.Should().NotContain(line => line.Contains("guest3", StringComparison.Ordinal) || line.Contains("carol left", StringComparison.Ordinal));
    }

    [Test]
    public async Task Room_names_are_case_insensitive_and_keep_the_spelling_of_their_creator()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("/join #DevOps");

        var lines = await bob.CommandAsync("/join #devops");

        lines.Should().Equal("* you joined #DevOps (1 other here)");
        await alice.ExpectAsync("* bob joined #DevOps");
    }

    [Test]
    public async Task Joining_a_room_you_are_in_makes_it_current_without_an_announcement()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("/join #dev");

        (await alice.CommandAsync("/join #lobby")).Should().Equal("* #lobby is now your current room");
        await alice.SendAsync("back in the lobby");
        await bob.ExpectAsync("[#lobby] <alice> back in the lobby");
        (await alice.CommandAsync("/join #DEV")).Should().Equal("* #dev is now your current room");
        (await alice.CommandAsync("/who")).Should().Equal("* members of #dev (1): @alice");

        var bobSaw = await bob.SyncAsync();
        bobSaw.Should().NotContain(l => l.Contains("alice joined", StringComparison.Ordinal));
        bob.Seen.Should().NotContain("* alice joined #lobby");
    }

    [Test]
    public async Task A_room_name_of_exactly_32_characters_is_accepted()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        var room = "#" + new string('r', 32);

        (await alice.CommandAsync($"/join {room}")).Should().Equal($"* you joined {room} (0 others here)");
    }

    [TestCase("#123456789012345678901234567890123")]
    [TestCase("dev")]
    [TestCase("#")]
    [TestCase("#a*b")]
    [TestCase("#café")]
    [TestCase("#three word s")]
    [TestCase("")]
    public async Task An_invalid_room_name_is_an_error_and_the_connection_stays(string room)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");

        var lines = await alice.CommandAsync($"/join {room}");

        lines.Should().ContainSingle().Which.Should().StartWith("! ");
        (await alice.CommandAsync("/rooms")).Should().Equal("* rooms: #lobby (1)");
    }

    [Test]
    public async Task Part_with_a_room_leaves_it_announces_it_and_falls_back_to_another_room()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await alice.CommandAsync("/join #dev");
        await bob.CommandAsync("/join #dev");

        var lines = await alice.CommandAsync("/part #dev");

        lines.Should().Equal("* you left #dev", "* your current room is #lobby");
        await bob.ExpectAsync("* alice left #dev");
        await alice.SendAsync("now in the lobby");
        await carol.ExpectAsync("[#lobby] <alice> now in the lobby");
        await bob.ExpectAsync("[#lobby] <alice> now in the lobby");
        (await bob.CommandAsync("/who #dev")).Should().Equal("* members of #dev (1): bob");
    }

    [Test]
    public async Task Part_without_a_room_leaves_the_current_one()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("/join #dev");
        await bob.CommandAsync("/join #dev");

        var lines = await alice.CommandAsync("/part");

        lines.Should().Equal("* you left #dev", "* your current room is #lobby");
        await bob.ExpectAsync("* alice left #dev");
    }

    [Test]
    public async Task Parting_a_room_that_is_not_current_keeps_the_current_room()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("/join #a");
        await alice.CommandAsync("/join #b");
        await bob.CommandAsync("/join #b");

        var lines = await alice.CommandAsync("/part #a");

        lines.Should().Equal("* you left #a", "* your current room is #b");
        await alice.SendAsync("still in b");
        await bob.ExpectAsync("[#b] <alice> still in b");
    }

    [Test]
    public async Task Parting_a_room_you_are_not_in_is_an_error()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await bob.CommandAsync("/join #dev");

        (await alice.CommandAsync("/part #nowhere")).Should().Equal("! you are not in #nowhere");
        (await alice.CommandAsync("/part #dev")).Should().Equal("! you are not in #dev");
        (await bob.CommandAsync("/who #dev")).Should().Equal("* members of #dev (1): @bob");
    }

    [Test]
    public async Task After_parting_every_room_messages_are_refused_until_a_join()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        (await alice.CommandAsync("/part")).Should().Equal("* you left #lobby", "* you are in no room; /join #room to talk");
        await bob.ExpectAsync("* alice left #lobby");
        (await alice.CommandAsync("lost words")).Should().Equal("! you are in no room; /join #room first");
        (await alice.CommandAsync("/part")).Should().Equal("! you are in no room");
        (await alice.CommandAsync("/who")).Should().Equal("! you are in no room");

        await alice.CommandAsync("/join #lobby");
        await alice.SendAsync("found again");
        await bob.ExpectAsync("[#lobby] <alice> found again");
        bob.Seen.Should().NotContain(l => l.Contains("lost words", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_room_disappears_when_its_last_member_leaves_and_comes_back_fresh()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("/join #tmp");
        await bob.CommandAsync("/join #tmp");
        await alice.SendAsync("remember me");
        await bob.ExpectAsync("[#tmp] <alice> remember me");
        (await alice.CommandAsync("/rooms")).Should().Equal("* rooms: #lobby (2), #tmp (2)");

        await alice.CommandAsync("/part #tmp");
        (await alice.CommandAsync("/rooms")).Should().Equal("* rooms: #lobby (2), #tmp (1)");
        await bob.CommandAsync("/part #tmp");

        (await alice.CommandAsync("/rooms")).Should().Equal("* rooms: #lobby (2)");
        (await alice.CommandAsync("/who #tmp")).Should().Equal("! no such room #tmp");

        var rejoined = await alice.CommandAsync("/join #tmp");
        rejoined.Should().Equal("* you joined #tmp (0 others here)");
        (await alice.CommandAsync("/rooms")).Should().Equal("* rooms: #lobby (2), #tmp (1)");
    }

    [Test]
    public async Task Who_of_a_room_that_just_emptied_says_there_is_no_such_room()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await alice.CommandAsync("/join #brief");

        // Sent in one write: the /who reaches the server right after the room was told to stop.
        await alice.SendRawAsync("/part #brief\n/who #brief\n"u8.ToArray());
        var lines = await alice.SyncAsync();

        lines.Should().Equal("* you left #brief", "* your current room is #lobby", "! no such room #brief");
    }

    [Test]
    public async Task The_lobby_stays_even_when_empty_and_keeps_its_history()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await alice.SendAsync("left behind");
        await alice.CommandAsync("/join #elsewhere");
        await alice.CommandAsync("/part #lobby");

        (await alice.CommandAsync("/rooms")).Should().Equal("* rooms: #elsewhere (1), #lobby (0)");
        (await alice.CommandAsync("/who #lobby")).Should().ContainSingle().Which.Should().StartWith("* members of #lobby (0)");

        await using var bob = await server.ConnectAsync();
        bob.Seen.Should().Contain("* you are in #lobby with 0 others");
        await bob.ExpectAsync(l => l.EndsWith(" <alice> left behind", StringComparison.Ordinal));
    }

    [Test]
    public async Task Who_lists_the_members_of_the_current_room_sorted()
    {
        await using var server = await TestServer.StartAsync();
        await using var carol = await server.ConnectAsync("carol");
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("Bob");
        await using var dave = await server.ConnectAsync("dave");
        await dave.CommandAsync("/join #dev");
        await carol.CommandAsync("/join #dev");

        (await alice.CommandAsync("/who")).Should().Equal("* members of #lobby (4): alice, Bob, carol, dave");
        (await dave.CommandAsync("/who")).Should().Equal("* members of #dev (2): carol, @dave");
    }

    [Test]
    public async Task Who_with_a_room_lists_that_room_even_for_an_outsider()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var zed = await server.ConnectAsync("zed");
        await using var bob = await server.ConnectAsync("bob");
        await zed.CommandAsync("/join #dev");
        await bob.CommandAsync("/join #dev");

        (await alice.CommandAsync("/who #dev")).Should().Equal("* members of #dev (2): bob, @zed");
        (await alice.CommandAsync("/who #DEV")).Should().Equal("* members of #dev (2): bob, @zed");
        (await alice.CommandAsync("/who #nosuch")).Should().Equal("! no such room #nosuch");
    }

    [Test]
    public async Task Rooms_lists_every_room_sorted_with_member_counts()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await alice.CommandAsync("/join #zeta");
        await bob.CommandAsync("/join #zeta");
        await bob.CommandAsync("/join #Mid");
        await carol.CommandAsync("/join #alpha");

        (await carol.CommandAsync("/rooms")).Should().Equal("* rooms: #alpha (1), #lobby (3), #Mid (1), #zeta (2)");
        (await carol.CommandAsync("/rooms extra")).Should().Equal("! /rooms takes no arguments");
    }
}
