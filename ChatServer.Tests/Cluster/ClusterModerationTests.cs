using ChatServer.Tests.Support;

namespace ChatServer.Tests.Cluster;

/// <summary>
/// Moderation across nodes: topics, modes, operators, bans, kicks and invites decided on one node take effect
/// on the other in the room's log order, and a node that opens a room late takes its state from Redis.
/// </summary>
[TestFixture]
public sealed class ClusterModerationTests
{
    [Test]
    public async Task A_topic_and_plus_m_set_on_one_node_apply_on_the_other()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await JoinAsync(alice, "#dev", "* you joined #dev (0 others here)");
        await JoinAsync(bob, "#dev", "* you joined #dev (1 other here)");
        await alice.ExpectAsync("* bob joined #dev");

        (await bob.CommandAsync("/who")).Should().Equal("* members of #dev (2): @alice, bob");
        (await bob.CommandAsync("/topic mine")).Should().Equal("! you are not an operator of #dev");
        await alice.SendAsync("/topic release on friday");
        await bob.ExpectAsync("* alice set the topic of #dev: release on friday");
        (await bob.CommandAsync("/topic")).Should().Equal("* topic of #dev: release on friday (set by alice)");

        await alice.SendAsync("/mode #dev +m");
        await bob.ExpectAsync("* alice sets mode +m on #dev");
        (await bob.CommandAsync("unheard")).Should().Contain("! cannot send to #dev: it is moderated (+m)");
        await alice.SendAsync("/voice bob");
        await bob.ExpectAsync("* alice sets mode +v bob on #dev");
        await bob.SendAsync("heard");
        await alice.ExpectAsync("[#dev] <bob> heard");
        alice.Seen.Should().NotContain("[#dev] <bob> unheard");
        (await alice.CommandAsync("/who")).Should().Equal("* members of #dev (2): @alice, +bob");
    }

    [Test]
    public async Task A_node_that_opens_a_room_late_takes_its_topic_modes_bans_and_operators_from_redis()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await using var carol = await cluster.ConnectAsync(1, "carol");
        await JoinAsync(alice, "#dev", "* you joined #dev (0 others here)");
        await alice.SendAsync("/topic the plan");
        await alice.ExpectAsync("* alice set the topic of #dev: the plan");
        await alice.SendAsync("/mode #dev +kb s3cret bob");
        await alice.ExpectAsync("* alice sets mode +kb s3cret bob!*@* on #dev");

        // No one on n2 was in #dev: its room starts now, from what Redis keeps.
        (await carol.CommandAsync("/join #dev")).Should().Equal("! cannot join #dev: it needs a key (+k): /join #dev KEY");
        (await bob.CommandAsync("/join #dev s3cret")).Should().Equal("! cannot join #dev: you are banned (+b)");
        (await carol.CommandAsync("/join #dev s3cret")).Should().Equal("* you joined #dev (1 other here)", "* topic of #dev: the plan (set by alice)");
        (await carol.CommandAsync("/who")).Should().Equal("* members of #dev (2): @alice, carol");
        (await carol.CommandAsync("/mode #dev")).Should().Equal("* modes of #dev: +ntk s3cret");
        (await carol.CommandAsync("/ban")).Should().Equal("* bans of #dev: bob!*@* (by alice)");
        (await bob.CommandAsync("/who #dev")).Should().Equal("* members of #dev (2): @alice, carol");
    }

    [Test]
    public async Task An_operator_kicks_and_invites_a_person_on_the_other_node()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await using var carol = await cluster.ConnectAsync(1, "carol");
        await JoinAsync(alice, "#dev", "* you joined #dev (0 others here)");
        await JoinAsync(bob, "#dev", "* you joined #dev (1 other here)");
        await alice.ExpectAsync("* bob joined #dev");

        await alice.SendAsync("/kick bob behave");
        await bob.ExpectAsync("* alice kicked you from #dev (behave)");
        await alice.ExpectAsync("* alice kicked bob from #dev (behave)");
        (await bob.CommandAsync("/part #dev")).Should().Equal("! you are not in #dev");
        (await alice.CommandAsync("/who")).Should().Equal("* members of #dev (1): @alice");

        await alice.SendAsync("/mode #dev +i");
        await alice.ExpectAsync("* alice sets mode +i on #dev");
        (await carol.CommandAsync("/join #dev")).Should().Equal("! cannot join #dev: it is invite-only (+i); ask one of its operators for an /invite");
        (await alice.CommandAsync("/invite carol")).Should().Equal("* you invited carol to #dev");
        await carol.ExpectAsync("* alice invites you to #dev; /join #dev");
        (await carol.CommandAsync("/join #dev")).Should().Equal("* you joined #dev (1 other here)");
        await alice.ExpectAsync("* carol joined #dev");
    }

    private static async Task JoinAsync(ChatClient client, string room, string reply)
    {
        await client.SendAsync($"/join {room}");
        await client.ExpectAsync(reply);
    }
}
