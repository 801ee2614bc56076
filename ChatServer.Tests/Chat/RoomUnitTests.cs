using ChatServer.Chat;
using ChatServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Supervision;

namespace ChatServer.Tests.Chat;

/// <summary>
/// A real <see cref="Room"/> worker driven directly with fake members: the exact lines each member
/// is delivered. <see cref="Room.BarrierAsync"/> completes once the room has handled everything it
/// was sent before, deliveries included, so after it a member's unread lines are exactly what the
/// room gave it so far: no sockets, no waiting for lines that should not come.
/// (<see cref="RoomTests"/> and <see cref="HistoryTests"/> cover the same through real clients.)
/// </summary>
public class RoomUnitTests : RoomTestBench
{
    // 09:26:53 UTC; shown as 11:26:53 by a server whose local zone is UTC+2.
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    [Test]
    public async Task A_joiner_gets_the_history_between_a_header_and_a_footer_each_line_marked_with_its_local_time_and_the_nick_of_then()
    {
        var time = new FakeTimeProvider(Start);
        time.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("UTC+2 (test)", TimeSpan.FromHours(2), "UTC+2 (test)", "UTC+2 (test)"));
        var room = await StartRoomAsync(new RoomOptions { HistoryLength = 5 }, time: time);
        var (alice, carol) = await JoinedAsync(room, "alice", "carol");

        await SayAsync(room, alice, "first");
        time.Advance(TimeSpan.FromSeconds(1));
        await SayAsync(room, alice, "waves", isAction: true);
        time.Advance(TimeSpan.FromSeconds(61));
        room.Rename(alice, "alicia");
        await SayAsync(room, alice, "second");
        var bob = await MemberAsync("bob");
        (await room.JoinAsync(bob, "bob").WaitAsync(Wait)).Should().Be(2);
        await room.BarrierAsync().WaitAsync(Wait);

        bob.TakeUnread().Should().Equal(
            "* last 3 messages in #den:",
            "[#den] (11:26:53) <alice> first",
            "[#den] (11:26:54) * alice waves",
            "[#den] (11:27:55) <alicia> second",
            "* end of history of #den");
        carol.TakeUnread().Should().Equal(
            "[#den] <alice> first",
            "[#den] * alice waves",
            "* alice is now known as alicia in #den",
            "[#den] <alicia> second",
            "* bob joined #den");
        alice.TakeUnread().Should().Equal("* bob joined #den");

        // Live lines after the history carry no time.
        await SayAsync(room, alice, "live");
        bob.TakeUnread().Should().Equal("[#den] <alicia> live");
    }

    [TestCase(2)]
    [TestCase(4)]
    [TestCase(10)]
    public async Task Only_the_last_HistoryLength_messages_are_kept_and_the_header_counts_those_replayed(int historyLength)
    {
        var time = new FakeTimeProvider(Start);
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var room = await StartRoomAsync(new RoomOptions { HistoryLength = historyLength }, time: time);
        var (alice, _) = await JoinedAsync(room, "alice", "bob");
        for (var i = 1; i <= 4; i++)
        {
            await SayAsync(room, alice, $"m{i}");
        }

        var carol = await MemberAsync("carol");
        await room.JoinAsync(carol, "carol").WaitAsync(Wait);
        await room.BarrierAsync().WaitAsync(Wait);

        var kept = Math.Min(historyLength, 4);
        List<string> expected =
        [
            $"* last {kept} messages in #den:",
            .. Enumerable.Range(5 - kept, kept).Select(i => $"[#den] (09:26:53) <alice> m{i}"),
            "* end of history of #den",
        ];
        carol.TakeUnread().Should().Equal(expected);
    }

    [Test]
    public async Task With_a_HistoryLength_of_0_a_joiner_gets_nothing_replayed()
    {
        var room = await StartRoomAsync(new RoomOptions { HistoryLength = 0 });
        var (alice, bob) = await JoinedAsync(room, "alice", "bob");
        await SayAsync(room, alice, "not kept");
        bob.TakeUnread().Should().Equal("[#den] <alice> not kept");

        var carol = await MemberAsync("carol");
        await room.JoinAsync(carol, "carol");
        await room.BarrierAsync();

        carol.TakeUnread().Should().BeEmpty();
        bob.TakeUnread().Should().Equal("* carol joined #den");
    }

    [Test]
    public async Task A_room_where_nothing_was_said_replays_no_header_and_notices_are_not_history()
    {
        var room = await StartRoomAsync(new RoomOptions { HistoryLength = 5 });
        var (alice, bob, _) = await JoinedAsync(room, "alice", "bob", "carol");
        room.Rename(alice, "alicia");
        await room.PartAsync(bob, reason: null);
        room.Quit(alice, "bye");

        var dave = await MemberAsync("dave");
        await room.JoinAsync(dave, "dave");
        await room.BarrierAsync();

        dave.TakeUnread().Should().BeEmpty("joins, renames, parts and quits are not history");
    }

    [Test]
    public async Task Joins_are_announced_only_while_the_room_with_the_joiner_is_within_the_announce_limit()
    {
        var room = await StartRoomAsync(new RoomOptions { AnnounceLimit = 3 });

        var (alice, bob, carol, dave) = await JoinedAsync(room, keepLines: true, "alice", "bob", "carol", "dave");

        alice.TakeUnread().Should().Equal("* bob joined #den", "* carol joined #den");
        bob.TakeUnread().Should().Equal("* carol joined #den");
        carol.TakeUnread().Should().BeEmpty("dave made four, over the limit");
        dave.TakeUnread().Should().BeEmpty();
        (await room.WhoAsync()).Should().Equal("alice", "bob", "carol", "dave");
    }

    [Test]
    public async Task Parts_quits_and_lost_connections_are_announced_only_within_the_announce_limit_counting_the_leaver()
    {
        var room = await StartRoomAsync(new RoomOptions { AnnounceLimit = 3 });
        var (alice, bob, carol, dave) = await JoinedAsync(room, "alice", "bob", "carol", "dave");

        // Four with the leaver: silent.
        (await room.PartAsync(dave, reason: null)).Should().BeTrue();
        await room.BarrierAsync();
        Unread(alice, bob, carol).Should().AllSatisfy(lines => lines.Should().BeEmpty());

        // Three with the leaver: announced.
        room.Quit(carol, "bye");
        await room.BarrierAsync();
        Unread(alice, bob).Should().AllSatisfy(lines => lines.Should().Equal("* carol left #den (quit: bye)"));

        await bob.EndAsync(FakeChatMember.Ending.Crash);
        await room.BarrierAsync();
        alice.TakeUnread().Should().Equal("* bob left #den (connection lost)");
    }

    [Test]
    public async Task Renames_are_announced_only_while_the_room_is_within_the_announce_limit()
    {
        var room = await StartRoomAsync(new RoomOptions { AnnounceLimit = 2 });
        var (alice, bob, carol) = await JoinedAsync(room, "alice", "bob", "carol");

        room.Rename(alice, "alicia");
        await room.BarrierAsync();
        Unread(bob, carol).Should().AllSatisfy(lines => lines.Should().BeEmpty("three members are over the limit"));

        await room.PartAsync(carol, reason: null);
        room.Rename(alice, "ali");
        await room.BarrierAsync();
        bob.TakeUnread().Should().Equal("* alicia is now known as ali in #den");
    }

    [Test]
    public async Task An_announce_limit_of_0_announces_everything_whatever_the_size()
    {
        var room = await StartRoomAsync(new RoomOptions { AnnounceLimit = 0 });
        var (alice, bob, carol, dave, erin) = await JoinedAsync(room, keepLines: true, "alice", "bob", "carol", "dave", "erin");
        alice.TakeUnread().Should().Equal("* bob joined #den", "* carol joined #den", "* dave joined #den", "* erin joined #den");
        dave.TakeUnread().Should().Equal("* erin joined #den");
        Unread(bob, carol, erin);

        room.Rename(alice, "alicia");
        room.Quit(erin, reason: null);
        await room.BarrierAsync();

        Unread(bob, carol, dave).Should().AllSatisfy(lines => lines.Should().Equal("* alice is now known as alicia in #den", "* erin left #den (quit)"));
        alice.TakeUnread().Should().Equal("* erin left #den (quit)");
        erin.TakeUnread().Should().Equal("* alice is now known as alicia in #den");
    }

    [Test]
    public async Task A_rename_is_announced_to_the_others_not_to_the_renamer_and_later_lines_carry_the_new_nick()
    {
        var room = await StartRoomAsync();
        var (alice, bob, carol) = await JoinedAsync(room, "alice", "bob", "carol");

        room.Rename(alice, "alicia");
        await SayAsync(room, alice, "new name");
        await room.PartAsync(alice, reason: null);
        await room.BarrierAsync();

        alice.TakeUnread().Should().BeEmpty();
        Unread(bob, carol).Should().AllSatisfy(lines => lines.Should().Equal(
            "* alice is now known as alicia in #den",
            "[#den] <alicia> new name",
            "* alicia left #den"));
    }

    [Test]
    public async Task A_rename_of_someone_who_is_not_a_member_announces_nothing()
    {
        var room = await StartRoomAsync();
        var (alice, bob) = await JoinedAsync(room, "alice", "bob");
        var outsider = await MemberAsync("zed");

        room.Rename(outsider, "zorro");
        await room.BarrierAsync();

        Unread(alice, bob, outsider).Should().AllSatisfy(lines => lines.Should().BeEmpty());
        (await room.WhoAsync()).Should().Equal("alice", "bob");
    }

    [TestCase(FakeChatMember.Ending.Crash)]
    [TestCase(FakeChatMember.Ending.Kill)]
    [TestCase(FakeChatMember.Ending.Stop)]
    public async Task A_member_whose_process_ends_without_leaving_is_removed_and_announced_as_a_lost_connection(FakeChatMember.Ending how)
    {
        var room = await StartRoomAsync();
        var (alice, bob, carol) = await JoinedAsync(room, "alice", "bob", "carol");

        await bob.EndAsync(how);

        // The room's monitor queued the down notice before the exit completed: the barrier comes after it.
        await room.BarrierAsync();
        Unread(alice, carol).Should().AllSatisfy(lines => lines.Should().Equal("* bob left #den (connection lost)"));
        (await room.WhoAsync()).Should().Equal("alice", "carol");
        await SayAsync(room, alice, "still here");
        carol.TakeUnread().Should().Equal("[#den] <alice> still here");
    }

    [Test]
    public async Task A_member_that_parted_and_then_ends_is_not_announced_again()
    {
        var room = await StartRoomAsync();
        var (alice, bob) = await JoinedAsync(room, "alice", "bob");
        await room.PartAsync(bob, reason: null);

        await bob.EndAsync(FakeChatMember.Ending.Crash);
        await room.BarrierAsync();

        alice.TakeUnread().Should().Equal("* bob left #den");
    }

    [TestCase("part")]
    [TestCase("quit")]
    [TestCase("crash")]
    [TestCase("kill")]
    public async Task A_room_whose_last_member_leaves_stops_itself_normally(string how)
    {
        var room = await StartRoomAsync();
        await room.BarrierAsync();
        room.HasExited.Should().BeFalse("a new room waits for its first member");
        var (alice, bob) = await JoinedAsync(room, "alice", "bob");
        await room.PartAsync(bob, reason: null);
        room.HasExited.Should().BeFalse("alice is still there");

        await LeaveAsync(room, alice, how);

        (await room.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Normal);
    }

    [TestCase("part")]
    [TestCase("quit")]
    [TestCase("crash")]
    [TestCase("kill")]
    public async Task A_permanent_room_stays_when_its_last_member_leaves_and_keeps_its_history(string how)
    {
        var time = new FakeTimeProvider(Start);
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var room = await StartRoomAsync(permanent: true, time: time, name: "#lobby");
        var alice = await MemberAsync("alice");
        await room.JoinAsync(alice, "alice").WaitAsync(Wait);
        await SayAsync(room, alice, "anyone?");
        await SayAsync(room, alice, "no one.");

        await LeaveAsync(room, alice, how);
        await room.BarrierAsync().WaitAsync(Wait);

        room.HasExited.Should().BeFalse();
        (await room.WhoAsync().WaitAsync(Wait)).Should().BeEmpty();
        var bob = await MemberAsync("bob");
        (await room.JoinAsync(bob, "bob").WaitAsync(Wait)).Should().Be(0);
        await room.BarrierAsync().WaitAsync(Wait);
        bob.TakeUnread().Should().Equal(
            "* last 2 messages in #lobby:",
            "[#lobby] (09:26:53) <alice> anyone?",
            "[#lobby] (09:26:53) <alice> no one.",
            "* end of history of #lobby");
    }

    [Test]
    public async Task Lines_said_in_a_burst_reach_every_member_in_order_each_without_its_own()
    {
        var room = await StartRoomAsync();
        var (alice, bob, carol, dave) = await JoinedAsync(room, "alice", "bob", "carol", "dave");
        FakeChatMember[] speakers = [alice, bob, carol];

        // Dave only listens. Holding his next delivery keeps the room's loop busy, so that all that
        // follows waits in its mailbox and is relayed in one go: more than one batch's worth.
        var hold = dave.HoldNextDelivery();
        room.Publish(alice, "warm-up", LineKind.Message).Should().BeTrue();
        await hold.WaitUntilHeldAsync();
        var said = new List<(FakeChatMember Speaker, string Line)> { (alice, "[#den] <alice> warm-up") };
        for (var i = 0; i < 150; i++)
        {
            var speaker = speakers[i / 2 % 3];
            var isAction = i % 10 == 9;
            room.Publish(speaker, $"line {i}", isAction ? LineKind.Action : LineKind.Message).Should().BeTrue();
            said.Add((speaker, isAction ? $"[#den] * {speaker.Name} line {i}" : $"[#den] <{speaker.Name}> line {i}"));
        }

        hold.Release();
        await room.BarrierAsync();

        foreach (var member in new[] { alice, bob, carol, dave })
        {
            member.TakeUnread().Should().Equal(said.Where(s => s.Speaker != member).Select(s => s.Line), $"{member.Name} gets the others' lines in order, not its own");
        }
    }

    [Test]
    public async Task Lines_still_pending_go_out_before_a_join_and_reach_the_joiner_only_as_history()
    {
        var time = new FakeTimeProvider(Start);
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var room = await StartRoomAsync(new RoomOptions { HistoryLength = 10 }, time: time);
        var (alice, bob, dave) = await JoinedAsync(room, "alice", "bob", "dave");
        var carol = await MemberAsync("carol");
        var hold = dave.HoldNextDelivery();
        room.Publish(alice, "warm-up", LineKind.Message);
        await hold.WaitUntilHeldAsync();

        room.Publish(alice, "x1", LineKind.Message);
        room.Publish(bob, "y1", LineKind.Message);
        var join = room.JoinAsync(carol, "carol");
        hold.Release();
        (await join.WaitAsync(Wait)).Should().Be(3);
        await room.BarrierAsync().WaitAsync(Wait);

        alice.TakeUnread().Should().Equal("[#den] <bob> y1", "* carol joined #den");
        bob.TakeUnread().Should().Equal("[#den] <alice> warm-up", "[#den] <alice> x1", "* carol joined #den");
        dave.TakeUnread().Should().Equal("[#den] <alice> warm-up", "[#den] <alice> x1", "[#den] <bob> y1", "* carol joined #den");
        carol.TakeUnread().Should().Equal(
            "* last 3 messages in #den:",
            "[#den] (09:26:53) <alice> warm-up",
            "[#den] (09:26:53) <alice> x1",
            "[#den] (09:26:53) <bob> y1",
            "* end of history of #den");
    }

    [Test]
    public async Task Join_returns_how_many_others_are_here_and_joining_twice_changes_nothing()
    {
        var room = await StartRoomAsync();
        var alice = await MemberAsync("alice");
        var bob = await MemberAsync("bob");
        (await room.JoinAsync(alice, "alice")).Should().Be(0);
        await SayAsync(room, alice, "hello");
        (await room.JoinAsync(bob, "bob")).Should().Be(1);
        await room.BarrierAsync();
        Unread(alice, bob);

        (await room.JoinAsync(bob, "bob")).Should().Be(1);
        await room.BarrierAsync();

        Unread(alice, bob).Should().AllSatisfy(lines => lines.Should().BeEmpty("neither a second announcement nor a second replay"));
        (await room.WhoAsync()).Should().Equal("alice", "bob");
    }

    [Test]
    public async Task Part_says_whether_the_member_was_there_tells_the_others_with_the_reason_and_a_non_member_cannot_speak()
    {
        var room = await StartRoomAsync();
        var (alice, bob, carol) = await JoinedAsync(room, "alice", "bob", "carol");

        (await room.PartAsync(carol, reason: null)).Should().BeTrue();
        (await room.PartAsync(carol, reason: null)).Should().BeFalse();
        (await room.PartAsync(bob, "off to lunch")).Should().BeTrue();
        await SayAsync(room, bob, "can anyone hear me?");

        alice.TakeUnread().Should().Equal("* carol left #den", "* bob left #den (off to lunch)");
        bob.TakeUnread().Should().Equal("* carol left #den");
        carol.TakeUnread().Should().BeEmpty();
    }

    [Test]
    public async Task Quit_tells_the_others_with_or_without_a_reason()
    {
        var room = await StartRoomAsync();
        var (alice, bob, carol) = await JoinedAsync(room, "alice", "bob", "carol");

        room.Quit(bob, reason: null);
        room.Quit(carol, "bye all");
        await room.BarrierAsync();

        alice.TakeUnread().Should().Equal("* bob left #den (quit)", "* carol left #den (quit: bye all)");
        carol.TakeUnread().Should().Equal("* bob left #den (quit)");
        (await room.WhoAsync()).Should().Equal("alice");
    }

    private static async Task LeaveAsync(Room room, FakeChatMember member, string how)
    {
        switch (how)
        {
            case "part":
                (await room.PartAsync(member, reason: null).WaitAsync(Wait)).Should().BeTrue();
                break;
            case "quit":
                room.Quit(member, reason: null);
                break;
            case "crash":
                await member.EndAsync(FakeChatMember.Ending.Crash);
                break;
            default:
                await member.EndAsync(FakeChatMember.Ending.Kill);
                break;
        }
    }
}
