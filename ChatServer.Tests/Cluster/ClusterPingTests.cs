using ChatServer.Tests.Support;

namespace ChatServer.Tests.Cluster;

/// <summary>
/// <c>/ping</c> (and IRC's PING) in a cluster: while Redis answers, the pong comes only once every other node
/// has handed what the sender said before to its people; while Redis is away, or a node is frozen, it still comes.
/// The node that must deliver is made slow (a test-only fault: what it reads from Redis reaches its rooms and
/// inbox late), so a pong that did not wait for it would come before its people got the lines.
/// </summary>
[TestFixture]
public sealed class ClusterPingTests
{
    /// <summary>How late the slow node delivers: far longer than a loaded machine's scheduling noise.</summary>
    private const string SlowNodeDelay = "2";

    private const string Paused = "* messages to other servers are paused (the cluster cannot be reached); people on this server still hear you";

    [Test]
    public async Task A_pong_comes_after_the_lines_were_handed_to_the_members_on_a_slow_node()
    {
        await using var cluster = await StartWithSlowSecondNodeAsync();
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");

        // bob's join and nick are in #lobby's log (his own ping waits for their echo) before alice says anything.
        await bob.SyncAsync();
        for (var i = 1; i <= 5; i++)
        {
            await alice.SendAsync($"line {i}");
        }

        await alice.SyncAsync("after-lines");

        // Everything the server queued for bob before this ping arrives before its pong.
        var before = await bob.SyncAsync("check");
        before.Should().ContainInOrder(
            ["[#lobby] <alice> line 1", "[#lobby] <alice> line 2", "[#lobby] <alice> line 3", "[#lobby] <alice> line 4", "[#lobby] <alice> line 5"],
            "alice's pong waited for n2 to deliver her lines");
    }

    [Test]
    public async Task An_irc_pong_comes_after_the_lines_were_handed_to_the_members_on_a_slow_node()
    {
        await using var cluster = await StartWithSlowSecondNodeAsync();
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await bob.SendAsync("/join #tea");
        await bob.ExpectAsync("* you joined #tea (0 others here)");
        await bob.SyncAsync();
        await using var alice = await cluster.ConnectIrcAsync(0, "alice");
        await alice.SendAsync("JOIN #tea");
        await alice.ExpectAsync("366");

        await alice.SendAsync("PRIVMSG #tea :first");
        await alice.SendAsync("PRIVMSG #tea :second");
        await alice.SyncAsync();

        var before = await bob.SyncAsync("check");
        before.Should().ContainInOrder(["[#tea] <alice> first", "[#tea] <alice> second"], "alice's PONG waited for n2 to deliver her lines");
    }

    [Test]
    public async Task A_pong_comes_after_private_messages_were_handed_to_their_recipient_on_a_slow_node()
    {
        await using var cluster = await StartWithSlowSecondNodeAsync();
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");

        // bob's own ping below waits for nothing of his own: his nick change is back from the log.
        await bob.SyncAsync();
        await alice.SendAsync("/msg bob one");
        await alice.SendAsync("/msg bob two");
        await alice.SyncAsync("after-messages");

        var before = await bob.SyncAsync("check");
        before.Should().ContainInOrder(["[pm] <alice> one", "[pm] <alice> two"], "alice's pong waited for n2 to deliver her messages");
    }

    [Test]
    public async Task A_ping_while_Redis_is_stopped_is_answered_as_a_barrier_for_this_node_only()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var carol = await cluster.ConnectAsync(0, "carol");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await bob.SyncAsync();

        await cluster.Redis.StopAsync();
        await alice.ExpectAsync(Paused);
        await carol.ExpectAsync(Paused);
        await alice.SendAsync("during");
        await alice.SyncAsync("during-outage");
        (await carol.SyncAsync()).Should().Contain("[#lobby] <alice> during", "people on the same node got the line before the pong");

        await cluster.Redis.RestartAsync();
        await bob.ExpectAsync("[#lobby] <alice> during");
    }

    [Test]
    public async Task A_ping_while_another_node_is_frozen_is_answered_once_its_lease_runs_out()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await bob.SyncAsync();

        await cluster.PauseNodeAsync(1);
        try
        {
            // n2 still listens on its barrier channel (its socket to Redis is open) but answers nothing.
            await alice.SendAsync("to a frozen node");
            await alice.SendAsync("/ping frozen");
            await alice.ExpectAsync("* pong frozen", TestCluster.LossWait);
        }
        finally
        {
            await cluster.ResumeNodeAsync(1);
        }
    }

    [Test]
    public async Task Foreign_messages_on_a_barrier_channel_are_skipped_with_a_log_and_pings_go_on()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await bob.SyncAsync();

        const string channel = "{chat}:node:n2:barrier";
        (await cluster.Redis.CommandAsync("PUBLISH", channel, "{not json")).Should().NotStartWith("(error)");
        (await cluster.Redis.CommandAsync("PUBLISH", channel, """{"v":99,"k":"req","n":"n1","r":"x","t":1,"l":[{"room":"#lobby","id":"1-0"}]}""")).Should().NotStartWith("(error)");
        (await cluster.Redis.CommandAsync("PUBLISH", channel, """{"v":1,"k":"req","n":"n1","r":"x","t":1,"l":[{"room":"#lobby","id":"nonsense"}]}""")).Should().NotStartWith("(error)");
        (await cluster.Redis.CommandAsync("PUBLISH", channel, """{"v":1,"k":"bye","n":"n1","r":"x","t":1}""")).Should().NotStartWith("(error)");

        // A well-formed request from a node that does not exist is answered into the void.
        (await cluster.Redis.CommandAsync("PUBLISH", channel, """{"v":1,"k":"req","n":"ghost","r":"x","t":1,"l":[{"room":"#lobby","id":"1-0"},{"id":"1-0"}]}""")).Should().NotStartWith("(error)");

        await alice.SendAsync("still here");
        await alice.SyncAsync();
        (await bob.SyncAsync()).Should().Contain("[#lobby] <alice> still here");
        await cluster.Node(1).ExpectLineAsync(l => l.Contains("skipped a message on", StringComparison.Ordinal) && l.Contains("format version 99", StringComparison.Ordinal), "the unknown version logged");
        await cluster.Node(1).ExpectLineAsync(l => l.Contains("skipped a message on", StringComparison.Ordinal) && l.Contains("unknown kind 'bye'", StringComparison.Ordinal), "the unknown kind logged");
    }

    private static Task<TestCluster> StartWithSlowSecondNodeAsync() =>
        TestCluster.StartAsync(2, index => index == 1 ? ["--enable-fault-injection", "--fault-follower-delay", SlowNodeDelay] : []);
}
