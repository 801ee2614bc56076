using ChatServer.Chat;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Chat;

/// <summary>
/// A real <see cref="Presence"/> worker driven directly with fake members: the exact answers of the
/// nick registry. Presence handles its mailbox in order, so an answer reflects everything sent to it
/// before, a member's exit included once that exit has completed (the monitor fires first).
/// (<see cref="NickTests"/> covers nicks through real clients.)
/// </summary>
public class PresenceUnitTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly StartedProcesses _processes = new();

    [TearDown]
    public Task StopEverythingAsync() => _processes.StopAllAsync(Wait);

    [Test]
    public async Task Register_gives_the_wanted_nick_when_free_and_Find_finds_it_in_any_case()
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");

        (await presence.RegisterAsync(alice, "Alice")).Should().Be("Alice");

        (await presence.FindAsync("Alice")).Should().BeSameAs(alice);
        (await presence.FindAsync("ALICE")).Should().BeSameAs(alice);
        (await presence.FindAsync("bob")).Should().BeNull();
        (await presence.CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task Register_without_a_wanted_nick_gives_guest_nicks_counting_up()
    {
        var presence = await StartPresenceAsync();

        var nicks = new List<string>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            nicks.Add(await presence.RegisterAsync(await MemberAsync(name)));
        }

        nicks.Should().Equal("guest1", "guest2", "guest3");
        (await presence.CountAsync()).Should().Be(3);
    }

    [TestCase("alice")]
    [TestCase("ALICE")]
    [TestCase("Alice")]
    public async Task A_wanted_nick_held_by_another_in_any_case_gives_a_guest_nick(string wanted)
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");
        var bob = await MemberAsync("bob");
        await presence.RegisterAsync(alice, "alice");

        (await presence.RegisterAsync(bob, wanted)).Should().Be("guest1");

        (await presence.FindAsync(wanted)).Should().BeSameAs(alice);
        (await presence.FindAsync("guest1")).Should().BeSameAs(bob);
    }

    [TestCase("")]
    [TestCase("two words")]
    [TestCase("abcdefghij0123456789x")]
    [TestCase("café")]
    [TestCase("#room")]
    [TestCase("star*")]
    public async Task An_invalid_wanted_nick_gives_a_guest_nick(string wanted)
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");

        (await presence.RegisterAsync(alice, wanted)).Should().Be("guest1");

        (await presence.FindAsync(wanted)).Should().BeNull();
    }

    [Test]
    public async Task A_member_that_registers_again_keeps_the_nick_it_holds()
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");
        await presence.RegisterAsync(alice, "alice");

        (await presence.RegisterAsync(alice, "other")).Should().Be("alice");
        (await presence.RegisterAsync(alice)).Should().Be("alice");

        (await presence.FindAsync("other")).Should().BeNull();
        (await presence.CountAsync()).Should().Be(1);
        (await presence.RegisterAsync(await MemberAsync("bob"))).Should().Be("guest1", "registering again used no guest number");
    }

    [Test]
    public async Task Renaming_to_the_exact_nick_held_is_Unchanged()
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");
        await presence.RegisterAsync(alice, "alice");

        (await presence.RenameAsync(alice, "alice")).Should().Be(NickChange.Unchanged);

        (await presence.FindAsync("alice")).Should().BeSameAs(alice);
    }

    [TestCase("bob")]
    [TestCase("BOB")]
    public async Task Renaming_to_a_nick_another_holds_in_any_case_is_Taken_and_changes_nothing(string wanted)
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");
        var bob = await MemberAsync("bob");
        await presence.RegisterAsync(alice, "alice");
        await presence.RegisterAsync(bob, "bob");

        (await presence.RenameAsync(alice, wanted)).Should().Be(NickChange.Taken);

        (await presence.FindAsync("alice")).Should().BeSameAs(alice);
        (await presence.FindAsync("bob")).Should().BeSameAs(bob);
        (await presence.CountAsync()).Should().Be(2);
    }

    [Test]
    public async Task Renaming_to_a_free_nick_is_Changed_frees_the_old_nick_and_Find_follows()
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");
        var bob = await MemberAsync("bob");
        await presence.RegisterAsync(alice, "alice");

        (await presence.RenameAsync(alice, "alicia")).Should().Be(NickChange.Changed);

        (await presence.FindAsync("alicia")).Should().BeSameAs(alice);
        (await presence.FindAsync("alice")).Should().BeNull();
        (await presence.RegisterAsync(bob, "alice")).Should().Be("alice", "the old nick is free");
        (await presence.RenameAsync(bob, "ALICIA")).Should().Be(NickChange.Taken);
        (await presence.CountAsync()).Should().Be(2);
    }

    [Test]
    public async Task Changing_only_the_case_of_the_nick_held_is_Changed()
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");
        var bob = await MemberAsync("bob");
        await presence.RegisterAsync(alice, "alice");

        (await presence.RenameAsync(alice, "Alice")).Should().Be(NickChange.Changed);

        (await presence.RenameAsync(alice, "Alice")).Should().Be(NickChange.Unchanged, "the new spelling is the one held");
        (await presence.FindAsync("alice")).Should().BeSameAs(alice);
        (await presence.RegisterAsync(bob, "alice")).Should().Be("guest1");
    }

    [Test]
    public async Task Renaming_a_member_that_is_not_registered_registers_it_under_the_new_nick()
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");

        (await presence.RenameAsync(alice, "alice")).Should().Be(NickChange.Changed);

        (await presence.FindAsync("alice")).Should().BeSameAs(alice);
        (await presence.CountAsync()).Should().Be(1);
        (await presence.RegisterAsync(alice)).Should().Be("alice");
    }

    [TestCase(FakeChatMember.Ending.Crash)]
    [TestCase(FakeChatMember.Ending.Kill)]
    [TestCase(FakeChatMember.Ending.Stop)]
    public async Task A_members_nick_is_freed_when_its_process_ends(FakeChatMember.Ending how)
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");
        var bob = await MemberAsync("bob");
        await presence.RegisterAsync(alice, "alice");
        await presence.RegisterAsync(bob, "bob");

        await alice.EndAsync(how);

        // Presence's monitor queued the down notice before the exit completed: this call comes after it.
        (await presence.FindAsync("alice")).Should().BeNull();
        (await presence.CountAsync()).Should().Be(1);
        (await presence.FindAsync("bob")).Should().BeSameAs(bob);
        var carol = await MemberAsync("carol");
        (await presence.RegisterAsync(carol, "ALICE")).Should().Be("ALICE");
    }

    [Test]
    public async Task A_renamed_member_that_ends_frees_the_nick_it_had_last()
    {
        var presence = await StartPresenceAsync();
        var alice = await MemberAsync("alice");
        var bob = await MemberAsync("bob");
        await presence.RegisterAsync(alice, "alice");
        await presence.RenameAsync(alice, "alicia");
        await presence.RegisterAsync(bob, "alice");

        await alice.EndAsync(FakeChatMember.Ending.Crash);

        (await presence.FindAsync("alicia")).Should().BeNull();
        (await presence.FindAsync("alice")).Should().BeSameAs(bob, "the old nick was bob's already");
        (await presence.CountAsync()).Should().Be(1);
    }

    [Test]
    public async Task A_guest_number_whose_nick_someone_holds_is_skipped()
    {
        var presence = await StartPresenceAsync();
        await presence.RegisterAsync(await MemberAsync("alice"), "Guest2");

        (await presence.RegisterAsync(await MemberAsync("a"))).Should().Be("guest1");
        (await presence.RegisterAsync(await MemberAsync("b"))).Should().Be("guest3");
    }

    [Test]
    public async Task A_guest_number_is_not_handed_out_again_once_its_holder_left()
    {
        var presence = await StartPresenceAsync();
        var first = await MemberAsync("first");
        (await presence.RegisterAsync(first)).Should().Be("guest1");

        await first.EndAsync(FakeChatMember.Ending.Stop);

        (await presence.FindAsync("guest1")).Should().BeNull("guest1 is free");
        (await presence.RegisterAsync(await MemberAsync("second"))).Should().Be("guest2");
    }

    [Test]
    public async Task A_new_presence_given_the_same_counter_continues_the_guest_numbers()
    {
        var numbers = new GuestNumbers();
        var old = await StartPresenceAsync(numbers);
        var first = await MemberAsync("first");
        var second = await MemberAsync("second");
        (await old.RegisterAsync(first)).Should().Be("guest1");
        (await old.RegisterAsync(second)).Should().Be("guest2");
        old.Kill();

        var restarted = await StartPresenceAsync(numbers);

        (await restarted.CountAsync()).Should().Be(0, "a restarted registry is empty");
        (await restarted.RegisterAsync(first, "guest1")).Should().Be("guest1", "a member registering again keeps its guest nick");
        (await restarted.RegisterAsync(await MemberAsync("third"))).Should().Be("guest3", "guest2 was handed out before, though free now");
        (await (await StartPresenceAsync()).RegisterAsync(await MemberAsync("elsewhere"))).Should().Be("guest1", "another server has a counter of its own");
    }

    [Test]
    public async Task GuestNumbers_hands_out_every_number_exactly_once_across_threads()
    {
        var numbers = new GuestNumbers();
        const int Threads = 4;
        const int Each = 10_000;

        var taken = await Task.WhenAll(Enumerable.Range(0, Threads).Select(_ => Task.Run(() =>
        {
            var mine = new long[Each];
            for (var i = 0; i < Each; i++)
            {
                mine[i] = numbers.Next();
            }

            return mine;
        }))).WaitAsync(Wait);

        taken.SelectMany(n => n).Order().Should().Equal(Enumerable.Range(1, Threads * Each).Select(n => (long)n));
        taken.Should().AllSatisfy(mine => mine.Should().BeInAscendingOrder("each caller sees the counter only go up"));
    }

    private async Task<Presence> StartPresenceAsync(IGuestNumbers? numbers = null)
    {
        var presence = new Presence(numbers ?? new GuestNumbers());
        await presence.StartAsync();
        _processes.Track(presence);
        return presence;
    }

    private async Task<FakeChatMember> MemberAsync(string name)
    {
        var member = await FakeChatMember.StartAsync(name);
        _processes.Track(member);
        return member;
    }
}
