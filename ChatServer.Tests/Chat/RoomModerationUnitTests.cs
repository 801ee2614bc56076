using ChatServer.Chat;
using ChatServer.Protocol;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

/// <summary>
/// A real <see cref="Room"/> driven directly with fake members, for IRC-style moderation: the first member
/// is operator, topics, kicks, bans, keys, limits, invites, moderated rooms and <c>#lobby</c>'s fixed modes.
/// After <see cref="Room.BarrierAsync"/> a member's unread lines are exactly what the room gave it so far.
/// (<see cref="ModerationTests"/> covers the same through real clients and the line protocol.)
/// </summary>
public class RoomModerationUnitTests : RoomTestBench
{
    [Test]
    public async Task The_first_member_of_a_new_room_is_its_operator_and_stays_one_across_a_nick_change()
    {
        var room = await StartRoomAsync();
        var (alice, _, _) = await JoinedAsync(room, "alice", "bob", "carol");

        (await room.MembersAsync()).Select(m => (m.Nick, m.Status)).Should().Equal(
            ("alice", MemberStatus.Op), ("bob", MemberStatus.None), ("carol", MemberStatus.None));
        room.Rename(alice, "alicia");
        (await room.MembersAsync()).Should().ContainSingle(m => m.Status == MemberStatus.Op).Which.Nick.Should().Be("alicia");
        (await room.MembersAsync()).Should().OnlyContain(m => m.Mask == new PersonMask(null, "fake.cloak"));
    }

    [Test]
    public async Task An_operator_who_leaves_leaves_the_room_without_operators()
    {
        var room = await StartRoomAsync();
        var (alice, bob) = await JoinedAsync(room, "alice", "bob");

        await room.PartAsync(alice, reason: null);
        (await room.MembersAsync()).Should().ContainSingle().Which.Status.Should().Be(MemberStatus.None);
        (await room.JoinAsync(alice, "alice", key: null)).Refusal.Should().Be(JoinRefusal.None);
        (await room.MembersAsync()).Should().OnlyContain(m => m.Status == MemberStatus.None, "alice came back to a room that existed");
        (await room.ChangeModesAsync(bob, [new ModeChange(true, 'm')])).Outcome.Should().Be(ModerationResult.NotOperator);
    }

    [Test]
    public async Task The_lobby_has_no_operator_its_topic_from_the_options_and_refuses_every_change()
    {
        var room = await StartRoomAsync(new RoomOptions { LobbyTopic = "be nice" }, permanent: true, name: RoomName.Lobby);
        var alice = await MemberAsync("alice");

        var joined = await room.JoinAsync(alice, "alice", key: "whatever");

        joined.Refusal.Should().Be(JoinRefusal.None);
        joined.Topic!.Text.Should().Be("be nice");
        joined.Topic.SetBy.Should().Be(RoomTopic.ServerSetter);
        (await room.MembersAsync()).Single().Status.Should().Be(MemberStatus.None);
        (await room.SetTopicAsync(alice, "mine")).Should().Be(ModerationResult.Fixed);
        (await room.KickAsync(alice, "alice", null)).Should().Be(ModerationResult.Fixed);
        var modes = await room.ChangeModesAsync(alice, [new ModeChange(true, 'b', "*"), new ModeChange(false, 'n')]);
        modes.Outcome.Should().Be(ModerationResult.Fixed);
        modes.Applied.Should().BeEmpty();
        (await room.ModesAsync()).ToString().Should().Be("+nt");
        (await room.TopicAsync())!.Text.Should().Be("be nice");
        await room.BarrierAsync();
        alice.TakeUnread().Should().BeEmpty();
    }

    [Test]
    public async Task Under_plus_t_only_an_operator_sets_the_topic_every_member_is_told_and_a_joiner_gets_it()
    {
        var room = await StartRoomAsync();
        var (alice, bob) = await JoinedAsync(room, "alice", "bob");

        (await room.SetTopicAsync(bob, "bob's")).Should().Be(ModerationResult.NotOperator);
        (await room.SetTopicAsync(alice, "release on friday")).Should().Be(ModerationResult.Done);
        await room.BarrierAsync();
        alice.TakeUnread().Should().Equal("* alice set the topic of #den: release on friday");
        bob.TakeUnread().Should().Equal("* alice set the topic of #den: release on friday");

        var carol = await MemberAsync("carol");
        var joined = await room.JoinAsync(carol, "carol", key: null);
        joined.Topic.Should().BeEquivalentTo(new { Text = "release on friday", SetBy = "alice" });

        (await room.ChangeModesAsync(alice, [new ModeChange(false, 't')])).Outcome.Should().Be(ModerationResult.Done);
        (await room.SetTopicAsync(bob, "")).Should().Be(ModerationResult.Done, "-t lets any member set it");
        await room.BarrierAsync();
        carol.TakeUnread().Should().EndWith(["* alice sets mode -t on #den", "* bob cleared the topic of #den"]);
        (await room.TopicAsync()).Should().BeNull();
        (await room.SetTopicAsync(await MemberAsync("dave"), "outsider")).Should().Be(ModerationResult.NotInRoom);
    }

    [Test]
    public async Task A_kick_is_told_to_everyone_the_target_gets_its_own_line_and_is_no_longer_a_member()
    {
        var room = await StartRoomAsync();
        var (alice, bob, carol) = await JoinedAsync(room, "alice", "bob", "carol");

        (await room.KickAsync(bob, "carol", null)).Should().Be(ModerationResult.NotOperator);
        (await room.KickAsync(alice, "nobody", null)).Should().Be(ModerationResult.TargetNotInRoom);
        (await room.KickAsync(alice, "BOB", "spam")).Should().Be(ModerationResult.Done);
        await SayAsync(room, bob, "still here?");
        await room.BarrierAsync();

        alice.TakeUnread().Should().Equal("* alice kicked bob from #den (spam)");
        carol.TakeUnread().Should().Equal("* alice kicked bob from #den (spam)");
        bob.TakeUnread().Should().Equal("* alice kicked you from #den (spam)");
        (await room.WhoAsync()).Should().Equal("alice", "carol");
        (await room.PartAsync(bob, null)).Should().BeFalse();
    }

    [Test]
    public async Task A_ban_refuses_a_matching_joiner_and_silences_a_matching_member_unless_voiced()
    {
        var room = await StartRoomAsync();
        var (alice, bob, carol) = await JoinedAsync(room, "alice", "bob", "carol");

        var result = await room.ChangeModesAsync(alice, [new ModeChange(true, 'b', "b*"), new ModeChange(true, 'b', "*@fake.cloak"), new ModeChange(false, 'b', "*!*@fake.cloak")]);

        result.Outcome.Should().Be(ModerationResult.Done);
        var (modes, arguments) = result.Describe();
        modes.Should().Be("+bb-b");
        arguments.Should().Equal("b*!*@*", "*!*@fake.cloak", "*!*@fake.cloak");
        (await room.BansAsync()).Select(b => (b.Mask, b.SetBy)).Should().Equal(("b*!*@*", "alice"));
        await SayAsync(room, bob, "can I?");
        await SayAsync(room, carol, "carol can");
        bob.TakeUnread().Should().Equal("* alice sets mode +bb-b b*!*@* *!*@fake.cloak *!*@fake.cloak on #den", "! cannot send to #den: you are banned (+b)", "[#den] <carol> carol can");
        alice.TakeUnread().Should().Equal("* alice sets mode +bb-b b*!*@* *!*@fake.cloak *!*@fake.cloak on #den", "[#den] <carol> carol can");

        (await room.JoinAsync(await MemberAsync("bert"), "Bert", key: null)).Refusal.Should().Be(JoinRefusal.Banned);
        await room.ChangeModesAsync(alice, [new ModeChange(true, 'v', "bob")]);
        await SayAsync(room, bob, "voiced");
        carol.TakeUnread().Should().EndWith("[#den] <bob> voiced");
        (await room.ChangeModesAsync(alice, [new ModeChange(false, 'b', "B*!*@*")])).Applied.Should().ContainSingle();
        (await room.JoinAsync(await MemberAsync("bert"), "Bert", key: null)).Refusal.Should().Be(JoinRefusal.None);
    }

    [Test]
    public async Task A_key_is_needed_to_join_once_set_and_cannot_be_set_twice()
    {
        var room = await StartRoomAsync();
        var (alice, _) = await JoinedAsync(room, "alice", "bob");

        (await room.ChangeModesAsync(alice, [new ModeChange(true, 'k', "s3cret")])).Applied.Should().Equal(new ModeChange(true, 'k', "s3cret"));
        var again = await room.ChangeModesAsync(alice, [new ModeChange(true, 'k', "other"), new ModeChange(true, 'k', "has space"), new ModeChange(true, 'k')]);
        again.Failures.Select(f => f.Error).Should().Equal(ModeError.KeySet, ModeError.KeySet, ModeError.MissingArgument);
        (await room.ModesAsync()).ToString().Should().Be("+ntk s3cret");

        var carol = await MemberAsync("carol");
        (await room.JoinAsync(carol, "carol", key: null)).Refusal.Should().Be(JoinRefusal.BadKey);
        (await room.JoinAsync(carol, "carol", key: "S3CRET")).Refusal.Should().Be(JoinRefusal.BadKey);
        (await room.JoinAsync(carol, "carol", key: "s3cret")).Refusal.Should().Be(JoinRefusal.None);

        var removed = await room.ChangeModesAsync(alice, [new ModeChange(false, 'k')]);
        removed.Applied.Should().Equal(new ModeChange(false, 'k', "s3cret"));
        (await room.JoinAsync(await MemberAsync("dave"), "dave", key: null)).Refusal.Should().Be(JoinRefusal.None);
    }

    [Test]
    public async Task A_limit_refuses_joiners_once_reached_and_must_be_a_positive_number()
    {
        var room = await StartRoomAsync();
        var (alice, _) = await JoinedAsync(room, "alice", "bob");

        var bad = await room.ChangeModesAsync(alice, [new ModeChange(true, 'l', "0"), new ModeChange(true, 'l', "two"), new ModeChange(true, 'l', "-3")]);
        bad.Failures.Should().OnlyContain(f => f.Error == ModeError.InvalidArgument).And.HaveCount(3);
        (await room.ChangeModesAsync(alice, [new ModeChange(true, 'l', "2")])).Applied.Should().ContainSingle();

        (await room.JoinAsync(await MemberAsync("carol"), "carol", key: null)).Refusal.Should().Be(JoinRefusal.Full);
        await room.ChangeModesAsync(alice, [new ModeChange(false, 'l')]);
        (await room.JoinAsync(await MemberAsync("carol"), "carol", key: null)).Refusal.Should().Be(JoinRefusal.None);
    }

    [Test]
    public async Task Under_plus_i_a_joiner_needs_an_invite_from_an_operator_which_is_used_up_by_joining()
    {
        var room = await StartRoomAsync();
        var (alice, bob) = await JoinedAsync(room, "alice", "bob");
        var carol = await MemberAsync("carol");

        (await room.InviteAsync(bob, "carol")).Should().Be(ModerationResult.Done, "without +i any member invites");
        await room.ChangeModesAsync(alice, [new ModeChange(true, 'i')]);
        (await room.InviteAsync(bob, "dave")).Should().Be(ModerationResult.NotOperator);
        (await room.InviteAsync(alice, "BOB")).Should().Be(ModerationResult.AlreadyInRoom);
        (await room.InviteAsync(carol, "dave")).Should().Be(ModerationResult.NotInRoom);

        (await room.JoinAsync(carol, "Carol", key: null)).Refusal.Should().Be(JoinRefusal.None, "bob's invite came before +i and still counts");
        await room.PartAsync(carol, null);
        (await room.JoinAsync(carol, "carol", key: null)).Refusal.Should().Be(JoinRefusal.InviteOnly, "an invite is used once");
        (await room.InviteAsync(alice, "carol")).Should().Be(ModerationResult.Done);
        (await room.JoinAsync(carol, "carol", key: null)).Refusal.Should().Be(JoinRefusal.None);
    }

    [Test]
    public async Task Under_plus_m_only_voiced_members_and_operators_speak_and_the_others_are_told()
    {
        var room = await StartRoomAsync();
        var (alice, bob, carol) = await JoinedAsync(room, "alice", "bob", "carol");

        await room.ChangeModesAsync(alice, [new ModeChange(true, 'm'), new ModeChange(true, 'v', "Bob")]);
        await SayAsync(room, carol, "hello?");
        await SayAsync(room, bob, "voiced");
        await SayAsync(room, alice, "op");

        carol.TakeUnread().Should().Equal("* alice sets mode +mv bob on #den", "! cannot send to #den: it is moderated (+m)", "[#den] <bob> voiced", "[#den] <alice> op");
        bob.TakeUnread().Should().Equal("* alice sets mode +mv bob on #den", "[#den] <alice> op");
        (await room.MembersAsync()).Select(m => m.Status).Should().Equal(MemberStatus.Op, MemberStatus.Voice, MemberStatus.None);
    }

    [Test]
    public async Task Only_what_changes_is_announced_and_every_refused_change_is_reported_with_its_reason()
    {
        var room = await StartRoomAsync();
        var (alice, bob) = await JoinedAsync(room, "alice", "bob");

        var result = await room.ChangeModesAsync(alice,
        [
            new ModeChange(true, 't'), new ModeChange(true, 'o', "bob"), new ModeChange(false, 'v', "bob"), new ModeChange(true, 'x'),
            new ModeChange(true, 'o', "nobody"), new ModeChange(true, 'o'), new ModeChange(false, 'n', "ignored"),
        ]);

        result.Outcome.Should().Be(ModerationResult.Done);
        var (modes, arguments) = result.Describe();
        modes.Should().Be("+to-vn");
        arguments.Should().Equal("bob", "bob");
        result.Failures.Select(f => (f.Change.Mode, f.Error)).Should().Equal(('x', ModeError.UnknownMode), ('o', ModeError.TargetNotInRoom), ('o', ModeError.MissingArgument));
        await room.BarrierAsync();
        bob.TakeUnread().Should().Equal("* alice sets mode +o-n bob on #den");
        (await room.ModesAsync()).ToString().Should().Be("+t");

        (await room.ChangeModesAsync(bob, [new ModeChange(false, 'o', "alice")])).Outcome.Should().Be(ModerationResult.Done, "bob is an operator now");
        var refused = await room.ChangeModesAsync(alice, [new ModeChange(true, 'm'), new ModeChange(true, 'z')]);
        refused.Outcome.Should().Be(ModerationResult.NotOperator);
        refused.Failures.Should().ContainSingle().Which.Error.Should().Be(ModeError.UnknownMode);
    }

    [Test]
    public async Task Under_minus_n_someone_outside_the_room_may_send_to_it_but_not_under_plus_n()
    {
        var room = await StartRoomAsync();
        var (alice, bob) = await JoinedAsync(room, "alice", "bob");
        var outsider = await MemberAsync("zed");

        room.PublishFromOutside(outsider, "zed", "knock knock", LineKind.Message);
        await room.BarrierAsync();
        outsider.TakeUnread().Should().Equal("! cannot send to #den: you are not in it (+n)");
        bob.TakeUnread().Should().BeEmpty();

        await room.ChangeModesAsync(alice, [new ModeChange(false, 'n')]);
        room.PublishFromOutside(outsider, "zed", "knock knock", LineKind.Message);
        await room.BarrierAsync();
        bob.TakeUnread().Should().Equal("* alice sets mode -n on #den", "[#den] <zed> knock knock");
        outsider.TakeUnread().Should().BeEmpty();
    }
}
