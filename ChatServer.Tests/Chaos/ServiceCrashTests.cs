using ChatServer.Chat;
using ChatServer.Faults;
using ChatServer.Network;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Chaos;

/// <summary>
/// One injected fault per test in a long-lived service of the tree (see docs/architecture.md,
/// "What a crash costs"), then proof through real sockets that the service is back and that only
/// what the table says was lost.
/// </summary>
public class ServiceCrashTests
{
    [TestCase(false, TestName = "A_presence_crash_keeps_every_nick_every_connection_and_the_acceptor_serving")]
    [TestCase(true, TestName = "A_presence_kill_keeps_every_nick_every_connection_and_the_acceptor_serving")]
    public async Task A_presence_fault_keeps_every_nick_every_connection_and_the_acceptor_serving(bool kill)
    {
        string[] nicks = ["alice", "bob", "carol", "dave"];
        await using var server = await TestServer.StartAsync();
        await using var clients = await server.ConnectAllAsync(nicks);
        var old = server.Host.Service<Presence>(ServiceNames.Presence);
        var workers = await server.Host.ClientWorkersAsync();

        (kill ? server.Host.Faults.Kill(ServiceNames.Presence) : server.Host.Faults.Crash(ServiceNames.Presence)).Should().BeTrue();

        var exit = await old.ExitHandledAsync(server.Host.Root);
        exit.Kind.Should().Be(kill ? ExitKind.Killed : ExitKind.Failure);
        // Each client handles "presence down" before any line it reads later, so once a ping is
        // answered that client has registered again; nothing at all may have been said to it.
        foreach (var client in clients)
        {
            (await client.SyncAsync("registered")).Should().BeEmpty($"{client.Nick} keeps its nick silently and loses nothing");
        }

        var presence = server.Host.Service<Presence>(ServiceNames.Presence);
        presence.Should().NotBeSameAs(old, "the root restarted presence");
        (await presence.CountAsync()).Should().Be(nicks.Length, "every client registered again");
        foreach (var nick in nicks)
        {
            (await presence.FindAsync(nick)).Should().NotBeNull($"{nick} is registered under the same nick");
        }

        // A private message finds every one of them by nick.
        for (var i = 0; i < nicks.Length; i++)
        {
            var from = clients[i];
            var to = clients[(i + 1) % nicks.Length];
            await from.SendAsync($"/msg {to.Nick} still there, {to.Nick}?");
            await to.ExpectAsync($"[pm] <{from.Nick}> still there, {to.Nick}?");
        }

        foreach (var client in clients)
        {
            (await client.SyncAsync("after")).Should().NotContain(l => l.StartsWith("! ", StringComparison.Ordinal));
        }

        // The server still accepts, and the new registry continues the guest numbers (alice to dave were guest1 to guest4).
        await using var erin = await server.ConnectAsync();
        erin.Nick.Should().Be("guest5", "guest numbers continue after a presence restart");
        await erin.SendAsync("/nick erin");
        await erin.ExpectAsync("* you are now known as erin");
        await clients["alice"].SendAsync("/msg erin welcome");
        await erin.ExpectAsync("[pm] <alice> welcome");

        (await server.Host.ClientWorkersAsync()).Should().HaveCount(nicks.Length + 1).And.Contain(workers, "no connection was lost");
        (await server.Host.RootChildAsync(ServiceNames.Presence)).RestartCount.Should().Be(1);
        (await server.Host.Root.WhichChildrenAsync()).Where(c => c.Id != ServiceNames.Presence)
            .Should().OnlyContain(c => c.RestartCount == 0 && c.State == ChildState.Running, "one_for_one: nothing else restarted");
    }

    [TestCase(false, TestName = "Guest_numbers_continue_after_a_presence_crash")]
    [TestCase(true, TestName = "Guest_numbers_continue_after_a_presence_kill")]
    public async Task Guest_numbers_continue_after_a_presence_fault(bool kill)
    {
        await using var server = await TestServer.StartAsync();

        // guest1 renames (its guest nick is free again), guest2 leaves, guest3 keeps its guest nick.
        await using var first = await server.ConnectAsync();
        var second = await server.ConnectAsync();
        await using var third = await server.ConnectAsync();
        var before = new[] { first.Nick, second.Nick, third.Nick };
        before.Should().Equal("guest1", "guest2", "guest3");
        (await first.CommandAsync("/nick alice")).Should().Equal("* you are now known as alice");
        await second.DisposeAsync();
        await first.ExpectAsync("* guest2 left #lobby (quit: connection closed)");
        await third.ExpectAsync("* guest2 left #lobby (quit: connection closed)");
        await first.SyncAsync();
        await third.SyncAsync();
        var old = server.Host.Service<Presence>(ServiceNames.Presence);

        (kill ? server.Host.Faults.Kill(ServiceNames.Presence) : server.Host.Faults.Crash(ServiceNames.Presence)).Should().BeTrue();

        await old.ExitHandledAsync(server.Host.Root);
        (await first.SyncAsync("registered")).Should().BeEmpty("alice keeps her nick silently");
        (await third.SyncAsync("registered")).Should().BeEmpty("guest3 keeps its nick silently");
        server.Host.Service<Presence>(ServiceNames.Presence).Should().NotBeSameAs(old, "the root restarted presence");

        // Newcomers get numbers never handed out before, not guest1 and guest2 a second time.
        await using var fourth = await server.ConnectAsync();
        await using var fifth = await server.ConnectAsync();
        var highestBefore = before.Max(GuestNumber);
        GuestNumber(fourth.Nick).Should().BeGreaterThan(highestBefore, $"{fourth.Nick} must not reuse a guest number given before the restart");
        GuestNumber(fifth.Nick).Should().BeGreaterThan(GuestNumber(fourth.Nick), "numbers keep increasing");
        (await third.CommandAsync("/who")).Should().Equal($"* members of #lobby (4): alice, guest3, {fourth.Nick}, {fifth.Nick}");
    }

    private static int GuestNumber(string nick)
    {
        nick.Should().MatchRegex("^guest[0-9]+$");
        return int.Parse(nick["guest".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [TestCase(false, TestName = "A_room_directory_crash_loses_no_connection_and_rooms_stay_usable")]
    [TestCase(true, TestName = "A_room_directory_kill_loses_no_connection_and_rooms_stay_usable")]
    public async Task A_room_directory_fault_loses_no_connection_and_rooms_stay_usable(bool kill)
    {
        await using var server = await TestServer.StartAsync();
        await using var clients = await server.ConnectAllAsync("alice", "bob", "carol");
        var (alice, bob, carol) = (clients["alice"], clients["bob"], clients["carol"]);
        await alice.JoinAsync("#den");
        await bob.JoinAsync("#den");
        await clients.SyncAllAsync();
        var rooms = server.Host.Service<Supervisor>("rooms");
        var old = server.Host.Service<RoomDirectory>(ServiceNames.RoomDirectory);
        var den = await old.FindAsync("#den");
        den.Should().NotBeNull();

        (kill ? server.Host.Faults.Kill(ServiceNames.RoomDirectory) : server.Host.Faults.Crash(ServiceNames.RoomDirectory)).Should().BeTrue();

        (await old.ExitHandledAsync(rooms)).Kind.Should().Be(kill ? ExitKind.Killed : ExitKind.Failure);
        var directory = server.Host.Service<RoomDirectory>(ServiceNames.RoomDirectory);
        directory.Should().NotBeSameAs(old, "the rooms supervisor restarted the directory");
        (await directory.FindAsync("#den")).Should().BeSameAs(den, "the new directory found the running rooms again");

        // Joins work again: an existing room and a new one.
        await carol.JoinAsync("#new");
        await carol.SendAsync("/join #den");
        await carol.ExpectAsync("* you joined #den (2 others here)");
        (await carol.CommandAsync("/rooms")).Should().Equal("* rooms: #den (3), #lobby (3), #new (1)");

        // The members of #den noticed nothing but carol, and keep talking in the same room.
        await alice.SendAsync("the directory restarted under us");
        await bob.ExpectAsync("[#den] <alice> the directory restarted under us");
        await carol.ExpectAsync("[#den] <alice> the directory restarted under us");
        (await alice.SyncAsync()).Should().Equal("* carol joined #den");
        (await bob.SyncAsync()).Should().BeEmpty();
        den!.HasExited.Should().BeFalse("the room itself was not touched");

        (await server.Host.ClientWorkersAsync()).Should().HaveCount(3, "no connection was lost");
        var roomsChildren = await rooms.WhichChildrenAsync();
        roomsChildren.Single(c => c.Id == ServiceNames.RoomDirectory).RestartCount.Should().Be(1);
        roomsChildren.Single(c => c.Id == ServiceNames.RoomSupervisor).RestartCount.Should().Be(0, "the directory is the last child: rest_for_one restarts nothing else");
        (await server.Host.Root.WhichChildrenAsync()).Should().OnlyContain(c => c.RestartCount == 0, "the fault stayed inside rooms");
    }

    [Test]
    public async Task A_room_supervisor_crash_restarts_every_room_whose_members_join_again_and_no_connection_is_lost()
    {
        await using var server = await TestServer.StartAsync();
        await using var clients = await server.ConnectAllAsync("alice", "bob");
        var (alice, bob) = (clients["alice"], clients["bob"]);
        await alice.JoinAsync("#den");
        await bob.JoinAsync("#den");
        await alice.SendAsync("said before the crash");
        await bob.ExpectAsync("[#den] <alice> said before the crash");
        await clients.SyncAllAsync();
        var rooms = server.Host.Service<Supervisor>("rooms");
        var old = server.Host.Service<DynamicSupervisor>(ServiceNames.RoomSupervisor);
        var oldDirectory = server.Host.Service<RoomDirectory>(ServiceNames.RoomDirectory);
        var oldRooms = (await old.WhichChildrenAsync()).Select(c => c.Process!).ToList();
        oldRooms.Select(r => r.Name).Should().BeEquivalentTo(["#lobby", "#den"]);

        server.Host.Faults.Crash(ServiceNames.RoomSupervisor).Should().BeTrue();

        (await old.ExitHandledAsync(rooms)).Kind.Should().Be(ExitKind.Failure);
        foreach (var room in oldRooms)
        {
            (await room.Completion.WaitAsync(ChaosTools.Wait)).IsAbnormal.Should().BeFalse($"{room.Name} was shut down by its supervisor");
        }

        // Every member is told about each of its rooms and joins it anew; a ping then proves the re-join is done.
        foreach (var client in new[] { alice, bob })
        {
            await client.ExpectAllAsync(ChaosTools.RoomStoppedNotice("#den"), ChaosTools.RoomStoppedNotice("#lobby"));
            (await client.SyncAsync("rejoined")).Should().NotContain(l => l.StartsWith("! ", StringComparison.Ordinal), $"{client.Nick} joined both rooms again");
        }

        var directory = server.Host.Service<RoomDirectory>(ServiceNames.RoomDirectory);
        directory.Should().NotBeSameAs(oldDirectory, "rest_for_one restarted the directory after the room supervisor");
        var den = await directory.FindAsync("#den");
        den.Should().NotBeNull().And.NotBeSameAs(oldRooms.Single(r => r.Name == "#den"), "#den is a new room");
        (await den!.WhoAsync()).Should().Equal("alice", "bob");

        // #den works again: both directions, and #den is still each one's current room.
        await alice.SendAsync("said after the crash");
        await bob.ExpectAsync("[#den] <alice> said after the crash");
        await bob.SendAsync("heard you");
        await alice.ExpectAsync("[#den] <bob> heard you");
        (await alice.CommandAsync("/rooms")).Should().Equal("* rooms: #den (2), #lobby (2)");

        // A newcomer can join, and sees only what was said after the crash: history is lost.
        await using var carol = await server.ConnectAsync("carol");
        var joined = await carol.CommandAsync("/join #den");
        joined.Should().HaveCount(5, "the join, then the new room's history; lines: [{0}]", string.Join(" | ", joined));
        joined[0].Should().Be("* you joined #den (2 others here)");
        joined[1].Should().Be("* last 2 messages in #den:");
        joined[2].Should().MatchRegex(@"^\[#den\] \(\d\d:\d\d:\d\d\) <alice> said after the crash$");
        joined[3].Should().MatchRegex(@"^\[#den\] \(\d\d:\d\d:\d\d\) <bob> heard you$");
        joined[4].Should().Be("* end of history of #den");

        (await server.Host.ClientWorkersAsync()).Should().HaveCount(3, "no connection was lost");
        (await rooms.WhichChildrenAsync()).Single(c => c.Id == ServiceNames.RoomSupervisor).RestartCount.Should().Be(1);
        (await server.Host.Root.WhichChildrenAsync()).Should().OnlyContain(c => c.RestartCount == 0, "the fault stayed inside rooms");
    }

    [Test]
    public async Task A_clients_supervisor_crash_closes_every_connection_releases_their_nicks_and_new_connections_are_served()
    {
        await using var server = await TestServer.StartAsync();
        await using var clients = await server.ConnectAllAsync("alice", "bob", "carol");
        var old = server.Host.Clients();
        var workers = await server.Host.ClientWorkersAsync();

        server.Host.Faults.Crash(ServiceNames.Clients).Should().BeTrue();

        foreach (var client in clients)
        {
            var lines = await client.ExpectClosedAsync();
            lines.Should().Equal(["* server shutting down"], $"{client.Nick}'s worker is shut down with the supervisor that owns it");
        }

        (await old.ExitHandledAsync(server.Host.Root)).Kind.Should().Be(ExitKind.Failure);
        foreach (var worker in workers)
        {
            (await worker.Completion.WaitAsync(ChaosTools.Wait)).Kind.Should().Be(ExitKind.Shutdown);
        }

        var restarted = await server.Host.RootChildAsync(ServiceNames.Clients);
        restarted.RestartCount.Should().Be(1);
        restarted.Process.Should().NotBeSameAs(old).And.BeSameAs(server.Host.Clients());

        // The server accepts again, and the lost clients' nicks are free.
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("back again");
        await bob.ExpectAsync("[#lobby] <alice> back again");
        (await server.Host.Clients().CountChildrenAsync()).Active.Should().Be(2);
        (await server.Host.Service<Presence>(ServiceNames.Presence).CountAsync()).Should().Be(2, "the three lost clients left presence");
    }

    [TestCase(false, TestName = "An_acceptor_crash_leaves_connected_clients_untouched_and_new_clients_are_served")]
    [TestCase(true, TestName = "An_acceptor_kill_leaves_connected_clients_untouched_and_new_clients_are_served")]
    public async Task An_acceptor_fault_leaves_connected_clients_untouched_and_new_clients_are_served(bool kill)
    {
        await using var server = await TestServer.StartAsync();
        await using var clients = await server.ConnectAllAsync("alice", "bob");
        var (alice, bob) = (clients["alice"], clients["bob"]);
        var old = server.Host.Service<Acceptor>(ServiceNames.Acceptor);
        var workers = await server.Host.ClientWorkersAsync();

        (kill ? server.Host.Faults.Kill(ServiceNames.Acceptor) : server.Host.Faults.Crash(ServiceNames.Acceptor)).Should().BeTrue();

        var exit = await old.ExitHandledAsync(server.Host.Root);
        exit.Kind.Should().Be(kill ? ExitKind.Killed : ExitKind.Failure);
        if (!kill)
        {
            exit.Exception.Should().BeOfType<InjectedFaultException>();
        }

        await alice.SendAsync("did you notice anything?");
        await bob.ExpectAsync("[#lobby] <alice> did you notice anything?");
        (await bob.SyncAsync()).Should().BeEmpty();
        (await alice.SyncAsync()).Should().BeEmpty();
        (await server.Host.ClientWorkersAsync()).Should().BeEquivalentTo(workers, "the same workers still serve the same connections");

        await using var carol = await server.ConnectAsync("carol");
        await carol.SendAsync("served by the new acceptor");
        await alice.ExpectAsync("[#lobby] <carol> served by the new acceptor");
        var acceptor = await server.Host.RootChildAsync(ServiceNames.Acceptor);
        acceptor.RestartCount.Should().Be(1);
        acceptor.Process.Should().NotBeSameAs(old);
    }
}
