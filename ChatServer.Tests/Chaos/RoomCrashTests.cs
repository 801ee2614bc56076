using ChatServer.Chat;
using ChatServer.Faults;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Chaos;

/// <summary>
/// A room worker that crashes is temporary: nothing restarts it, the directory forgets it.
/// What survives a room restart:
/// <list type="bullet">
/// <item>Membership, re-established by the members themselves: each member's client monitors the
/// room, is told <c>* #room stopped after a fault and its history is lost; joining it anew</c>, and
/// joins the room of that name again (the directory creates a new room worker); the room stays the
/// client's current room if it was.</item>
/// <item>Nicks and connections: untouched (they live in presence and the client workers).</item>
/// </list>
/// What is lost: the history (a joiner of the new room sees only what was said after the crash),
/// lines still queued in the dead room's mailbox, and lines a member sent between the crash and its
/// re-join. Other rooms, and members of other rooms, are not affected at all.
/// </summary>
public class RoomCrashTests
{
    [Test]
    public async Task A_crashed_room_is_joined_anew_by_its_members_with_its_history_lost_and_other_rooms_are_untouched()
    {
        await using var server = await TestServer.StartAsync();
        await using var clients = await server.ConnectAllAsync("alice", "bob", "carol", "dave", "erin");
        var (alice, bob, carol, dave, erin) = (clients["alice"], clients["bob"], clients["carol"], clients["dave"], clients["erin"]);
        await alice.JoinAsync("#den");
        await bob.JoinAsync("#den");
        await carol.JoinAsync("#other");
        await dave.JoinAsync("#other");
        await alice.SendAsync("said before the crash");
        await bob.ExpectAsync("[#den] <alice> said before the crash");
        await clients.SyncAllAsync();
        var directory = server.Host.Service<RoomDirectory>(ServiceNames.RoomDirectory);
        var den = (await directory.FindAsync("#den"))!;
        var other = (await directory.FindAsync("#other"))!;
        var lobby = (await directory.FindAsync("#lobby"))!;

        // carol talks in #other before, while and after #den crashes.
        for (var n = 1; n <= 20; n++)
        {
            await carol.SendAsync($"other {n}");
        }

        (await server.Host.Faults.CrashRoomAsync("#den")).Should().BeTrue();
        for (var n = 21; n <= 40; n++)
        {
            await carol.SendAsync($"other {n}");
        }

        var exit = await den.Completion.WaitAsync(ChaosTools.Wait);
        exit.Kind.Should().Be(ExitKind.Failure);
        exit.Exception.Should().BeOfType<InjectedFaultException>();

        // Each member is told, then joins anew; a ping proves the re-join is done.
        foreach (var member in new[] { alice, bob })
        {
            await member.ExpectAsync(ChaosTools.RoomStoppedNotice("#den"));
            var after = await member.SyncAsync("rejoined");
            after.Should().NotContain(l => l != (member == alice ? "* bob joined #den" : "* alice joined #den"), "{0} sees at most the other member joining again", member.Nick);
        }

        var newDen = await directory.FindAsync("#den");
        newDen.Should().NotBeNull().And.NotBeSameAs(den, "#den is a new room worker");
        (await newDen!.WhoAsync()).Should().Equal(["alice", "bob"], "both members are members of the new #den");

        // The new #den carries messages both ways, and is still each member's current room.
        await alice.SendAsync("said after the crash");
        await bob.ExpectAsync("[#den] <alice> said after the crash");
        await bob.SendAsync("heard you");
        await alice.ExpectAsync("[#den] <bob> heard you");

        // The history of the old #den is gone.
        var joined = await erin.CommandAsync("/join #den");
        joined.Should().HaveCount(5, "the join, then the new room's history; lines: [{0}]", string.Join(" | ", joined));
        joined[0].Should().Be("* you joined #den (2 others here)");
        joined[1].Should().Be("* last 2 messages in #den:");
        joined[2].Should().EndWith(" <alice> said after the crash");
        joined[3].Should().EndWith(" <bob> heard you");
        joined[4].Should().Be("* end of history of #den");

        // #other did not notice: every line of carol's, in order, and nothing else.
        await dave.ExpectAsync("[#other] <carol> other 40");
        dave.Seen.SkipWhile(l => l != "[#other] <carol> other 1").Should().Equal(
            Enumerable.Range(1, 40).Select(n => $"[#other] <carol> other {n}"),
            "a member of another room sees no notice and loses nothing");
        (await dave.SyncAsync()).Should().BeEmpty();
        (await carol.SyncAsync()).Should().BeEmpty();
        other.HasExited.Should().BeFalse();
        lobby.HasExited.Should().BeFalse();
        carol.Seen.Concat(dave.Seen).Should().NotContain(l => l.Contains("stopped after a fault", StringComparison.Ordinal));

        (await server.Host.ClientWorkersAsync()).Should().HaveCount(5, "no connection was lost");
        (await server.Host.Root.WhichChildrenAsync()).Should().OnlyContain(c => c.RestartCount == 0, "a room crash restarts no service");
    }

    [Test]
    public async Task A_member_in_several_rooms_keeps_its_current_room_when_another_of_its_rooms_crashes()
    {
        await using var server = await TestServer.StartAsync();
        await using var clients = await server.ConnectAllAsync("alice", "bob");
        var (alice, bob) = (clients["alice"], clients["bob"]);
        await alice.JoinAsync("#den");
        await bob.JoinAsync("#den");
        await alice.JoinAsync("#talk");
        await bob.JoinAsync("#talk");
        await clients.SyncAllAsync();

        (await server.Host.Faults.CrashRoomAsync("#den")).Should().BeTrue();

        foreach (var member in new[] { alice, bob })
        {
            await member.ExpectAsync(ChaosTools.RoomStoppedNotice("#den"));
            await member.SyncAsync("rejoined");
        }

        await alice.SendAsync("still in #talk");
        await bob.ExpectAsync("[#talk] <alice> still in #talk");
        await alice.SendAsync("/join #den");
        await alice.ExpectAsync("* #den is now your current room");
        await alice.SendAsync("and back in #den");
        await bob.ExpectAsync("[#den] <alice> and back in #den");
    }
}
