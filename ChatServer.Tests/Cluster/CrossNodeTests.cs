using ChatServer.Tests.Processes;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Cluster;

/// <summary>Two nodes behave as one server for what docs/protocol.md promises: rooms, announcements, /who, /rooms, /msg, nicks.</summary>
[TestFixture]
public sealed class CrossNodeTests
{
    [Test]
    public async Task A_line_in_a_room_reaches_members_on_the_other_node_and_both_see_each_others_joins()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");

        await alice.SendAsync("/join #tea");
        await alice.ExpectAsync("* you joined #tea (0 others here)");
        await bob.SendAsync("/join #tea");
        await bob.ExpectAsync("* you joined #tea (1 other here)");
        await alice.ExpectAsync("* bob joined #tea");

        await bob.SendAsync("hello from n2");
        await alice.ExpectAsync("[#tea] <bob> hello from n2");
        await alice.SendAsync("/me waves");
        await bob.ExpectAsync("[#tea] * alice waves");

        (await bob.CommandAsync("/who")).Should().Contain("* members of #tea (2): @alice, bob");
        (await alice.CommandAsync("/rooms")).Should().Contain("* rooms: #lobby (2), #tea (2)");
    }

    [Test]
    public async Task Parts_quits_and_nick_changes_on_one_node_are_announced_on_the_other()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await using var carol = await cluster.ConnectAsync(1, "carol");
        await alice.SendAsync("/join #x");
        await alice.ExpectAsync("* you joined #x (0 others here)");
        await bob.SendAsync("/join #x");
        await alice.ExpectAsync("* bob joined #x");
        await carol.SendAsync("/join #x");
        await alice.ExpectAsync("* carol joined #x");

        await bob.SendAsync("/nick robert");
        await alice.ExpectAsync("* bob is now known as robert in #x");
        await bob.SendAsync("/part #x");
        await alice.ExpectAsync("* robert left #x");
        await carol.SendAsync("/quit gone fishing");
        await alice.ExpectAsync("* carol left #x (quit: gone fishing)");

        (await alice.CommandAsync("/who")).Should().Contain("* members of #x (1): @alice");
    }

    [Test]
    public async Task Private_messages_reach_a_nick_on_the_other_node_both_ways()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");

        await alice.SendAsync("/msg BOB psst");
        await bob.ExpectAsync("[pm] <alice> psst");
        await bob.SendAsync("/msg alice back at you");
        await alice.ExpectAsync("[pm] <bob> back at you");
        (await alice.CommandAsync("/msg nobody hi")).Should().Contain("! no such nick nobody");
    }

    [Test]
    public async Task Nicks_are_unique_across_nodes_case_insensitively_and_free_again_after_a_quit()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var other = await ChatClient.ConnectAsync(cluster.Port(1));

        (await other.CommandAsync("/nick ALICE")).Should().Contain("! nick ALICE is taken");

        await alice.SendAsync("/quit");
        await alice.ExpectClosedAsync();
        await other.SendAsync("/nick ALICE");
        await other.ExpectAsync("* you are now known as ALICE");
    }

    [Test]
    public async Task Guest_nicks_never_collide_across_nodes()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var clients = new ClientGroup();
        for (var i = 0; i < 10; i++)
        {
            clients.Add(await ChatClient.ConnectAsync(cluster.Port(i % 2)));
        }

        clients.Select(c => c.Nick).Should().OnlyHaveUniqueItems().And.AllSatisfy(nick => nick.Should().StartWith("guest"));
    }

    [Test]
    public async Task Who_lists_a_room_whose_members_are_all_on_the_other_node()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await bob.SendAsync("/join #far");
        await bob.ExpectAsync("* you joined #far (0 others here)");

        (await alice.CommandAsync("/who #far")).Should().Contain("* members of #far (1): @bob");
        (await alice.CommandAsync("/rooms")).Should().Contain("* rooms: #far (1), #lobby (2)");
    }

    [Test]
    public async Task A_room_that_stopped_on_a_node_and_starts_again_there_is_still_heard_on_the_other()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await bob.SendAsync("/join #r");
        await bob.ExpectAsync("* you joined #r (0 others here)");
        await alice.SendAsync("/join #r");
        await bob.ExpectAsync("* alice joined #r");
        await alice.SendAsync("one");
        await alice.SendAsync("two");
        await bob.ExpectAsync("[#r] <alice> two");

        // Alice was n1's only member of #r: its room worker there stops, and a new one starts on her return.
        await alice.SendAsync("/part #r");
        await bob.ExpectAsync("* alice left #r");
        await alice.SendAsync("/join #r");
        await bob.ExpectAsync("* alice joined #r");
        await alice.SendAsync("three");
        await bob.ExpectAsync("[#r] <alice> three");
    }

    [Test]
    public async Task The_announce_limit_counts_the_members_on_every_node()
    {
        await using var cluster = await TestCluster.StartAsync(2, "--announce-limit", "2");
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await bob.SendAsync("/join #small");
        await bob.ExpectAsync("* you joined #small (0 others here)");
        await alice.SendAsync("/join #small");
        await bob.ExpectAsync("* alice joined #small");

        // A third member makes three, over the limit: alice's node has one member here, but the room has three.
        await using var carol = await cluster.ConnectAsync(1, "carol");
        await carol.SendAsync("/join #small");
        await carol.ExpectAsync("* you joined #small (2 others here)");
        await carol.SendAsync("after carol");
        await alice.ExpectAsync("[#small] <carol> after carol");
        alice.Seen.Should().NotContain("* carol joined #small");
    }

    [Test]
    public async Task A_password_in_the_Redis_configuration_is_never_printed()
    {
        await using var redis = await RedisServer.StartAsync();
        (await redis.CommandAsync("CONFIG", "SET", "requirepass", "hunter2secret")).Should().Be("OK");
        var (node, port) = await ServerProcess.StartAsync("--redis", redis.ConfigurationString + ",password=hunter2secret", "--node-name", "n1");
        await using (node)
        {
            await using var alice = await ChatClient.ConnectAsync(port);
            alice.Nick.Should().MatchRegex("^guest[0-9]+$", "the node reached Redis with the password, so the guest number came from the cluster");
            await alice.SendAsync("/quit");
            await alice.ExpectClosedAsync();
            await node.TerminateAsync();
            await node.WaitForExitAsync();
            node.Stdout.Should().Contain(l => l.Contains("connected to Redis at 127.0.0.1", StringComparison.Ordinal));
            node.Transcript().Should().NotContain("hunter2secret");
        }
    }
}
