using ChatServer.Tests.Support;

namespace ChatServer.Tests.Cluster;

/// <summary>Redis stopped, paused or absent: no node crashes or drops anyone; people are told; nothing said is lost or doubled.</summary>
[TestFixture]
public sealed class RedisOutageTests
{
    private const string Paused = "* messages to other servers are paused (the cluster cannot be reached); people on this server still hear you";
    private const string Resumed = "* messages to other servers resume";

    [Test]
    public async Task Lines_said_while_Redis_is_stopped_reach_this_node_at_once_and_the_other_after_it_returns_in_order_once()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var carol = await cluster.ConnectAsync(0, "carol");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await alice.SendAsync("before");
        await bob.ExpectAsync("[#lobby] <alice> before");
        await carol.ExpectAsync("[#lobby] <alice> before");

        await cluster.Redis.StopAsync();
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.ExpectAsync(Paused);
        }

        await alice.SendAsync("during 1");
        await alice.SendAsync("during 2");
        await carol.ExpectAsync("[#lobby] <alice> during 1");
        await carol.ExpectAsync("[#lobby] <alice> during 2");
        (await alice.CommandAsync("/nick alicia")).Should().ContainMatch("! nick changes are paused*");

        await cluster.Redis.RestartAsync();
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.ExpectAsync(Resumed);
        }

        await bob.ExpectAsync("[#lobby] <alice> during 1");
        await bob.ExpectAsync("[#lobby] <alice> during 2");
        await bob.SendAsync("after");
        await alice.ExpectAsync("[#lobby] <bob> after");
        await carol.ExpectAsync("[#lobby] <bob> after");

        await bob.SyncAsync();
        await carol.SyncAsync();
        bob.Seen.Count(l => l.Contains("during", StringComparison.Ordinal)).Should().Be(2, "each line once: {0}", string.Join(" | ", bob.Seen));
        carol.Seen.Count(l => l.Contains("during", StringComparison.Ordinal)).Should().Be(2, "the echo of a line delivered during the outage is dropped: {0}", string.Join(" | ", carol.Seen));
    }

    [Test]
    public async Task Over_an_outage_everyone_is_told_once_that_messages_are_paused_and_once_that_they_resume()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var carol = await cluster.ConnectAsync(0, "carol");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await alice.SyncAsync();

        await cluster.Redis.StopAsync();
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.ExpectAsync(Paused);
        }

        // Not a synchronisation: the outage lasts several probes of the link (each a quarter lease here) and
        // every one of them fails; none may tell anyone again. A shorter outage would only test less.
        await Task.Delay(TestCluster.Lease * 3 / 4);
        await alice.SendAsync("during");
        await carol.ExpectAsync("[#lobby] <alice> during");

        await cluster.Redis.RestartAsync();
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.ExpectAsync(Resumed);
        }

        await bob.ExpectAsync("[#lobby] <alice> during");
        foreach (var client in new[] { alice, bob, carol })
        {
            // Everything told before the barrier (a ping through the cluster, now that it answers) is read.
            await client.SyncAsync();
            client.Seen.Count(l => l == Paused).Should().Be(1, "{0} is told once that messages are paused: {1}", client.Nick, string.Join(" | ", client.Seen));
            client.Seen.Count(l => l == Resumed).Should().Be(1, "{0} is told once that they resume: {1}", client.Nick, string.Join(" | ", client.Seen));
        }
    }

    [Test]
    public async Task A_joiner_during_an_outage_gets_the_history_this_node_has()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await alice.SendAsync("/join #h");
        await alice.ExpectAsync("* you joined #h (0 others here)");
        await bob.SendAsync("/join #h");
        await bob.ExpectAsync("* you joined #h (1 other here)");
        await bob.SendAsync("from n2 before");
        await alice.ExpectAsync("[#h] <bob> from n2 before");

        await cluster.Redis.StopAsync();
        await alice.ExpectAsync(Paused);
        await alice.SendAsync("from n1 during");
        await alice.SyncAsync();

        await using var carol = await ChatClient.ConnectAsync(cluster.Port(0));
        await carol.SendAsync("/join #h");
        await carol.ExpectAsync("* last 2 messages in #h:");
        await carol.ExpectAsync(l => l.StartsWith("[#h] (", StringComparison.Ordinal) && l.EndsWith(") <bob> from n2 before", StringComparison.Ordinal));
        await carol.ExpectAsync(l => l.StartsWith("[#h] (", StringComparison.Ordinal) && l.EndsWith(") <alice> from n1 during", StringComparison.Ordinal));
        await carol.ExpectAsync("* end of history of #h");
    }

    [Test]
    public async Task A_paused_Redis_is_noticed_and_the_cluster_resumes_without_dropping_anyone()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");

        cluster.Redis.Pause();
        try
        {
            await alice.ExpectAsync(Paused);
            await bob.ExpectAsync(Paused);
            await alice.SendAsync("while paused");
        }
        finally
        {
            cluster.Redis.Resume();
        }

        await alice.ExpectAsync(Resumed);
        await bob.ExpectAsync("[#lobby] <alice> while paused");
        await bob.SendAsync("back");
        await alice.ExpectAsync("[#lobby] <bob> back");
        await alice.SyncAsync();
        await bob.SyncAsync();
        alice.Seen.Concat(bob.Seen).Should().NotContain(l => l.Contains(" left #lobby", StringComparison.Ordinal), "a pause shorter than the lease makes no one lost");
        foreach (var client in new[] { alice, bob })
        {
            client.Seen.Count(l => l == Paused).Should().Be(1, "{0} is told once that messages are paused, however many probes time out: {1}", client.Nick, string.Join(" | ", client.Seen));
            client.Seen.Count(l => l == Resumed).Should().Be(1, "{0} is told once that they resume: {1}", client.Nick, string.Join(" | ", client.Seen));
        }
    }

    [Test]
    public async Task A_thousand_lines_said_during_an_outage_all_reach_the_other_node_once_and_in_order()
    {
        const int count = 1000;
        await using var cluster = await TestCluster.StartAsync(2, "--flood-rate", "0");
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await cluster.Redis.StopAsync();
        await alice.ExpectAsync(Paused);

        for (var i = 0; i < count; i++)
        {
            await alice.SendAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"outage {i}"));
        }

        await alice.SyncAsync();
        await cluster.Redis.RestartAsync();
        await bob.ExpectAsync($"[#lobby] <alice> outage {count - 1}", TimeSpan.FromSeconds(30));
        await bob.SyncAsync();
        bob.Seen.Where(l => l.StartsWith("[#lobby] <alice> outage ", StringComparison.Ordinal))
            .Should().Equal(Enumerable.Range(0, count).Select(i => $"[#lobby] <alice> outage {i}"), "none lost, none doubled, in order");
    }

    [Test]
    public async Task Newcomers_while_Redis_hangs_are_all_welcomed_with_guest_nicks_that_carry_the_node()
    {
        await using var cluster = await TestCluster.StartAsync(1);
        await using var clients = new ClientGroup();
        cluster.Redis.Pause();
        try
        {
            await clients.AddAllAsync(Enumerable.Range(0, 10).Select(_ => ChatClient.ConnectAsync(cluster.Port(0))).ToList(), ChatClient.DefaultWait);
            clients.Select(c => c.Nick).Should().OnlyHaveUniqueItems();
            clients.Select(c => c.Nick).Should().AllSatisfy(nick => nick.Should().MatchRegex("^guest[0-9]+-n1$", "a guest nick made while Redis cannot answer carries the node"));
        }
        finally
        {
            cluster.Redis.Resume();
        }
    }

    [Test]
    public async Task A_room_opened_on_a_node_during_an_outage_gets_what_the_others_said_meanwhile()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await bob.SendAsync("/join #new");
        await bob.ExpectAsync("* you joined #new (0 others here)");

        await cluster.Redis.StopAsync();
        await alice.ExpectAsync(Paused);
        await bob.ExpectAsync(Paused);
        await alice.SendAsync("/join #new");
        await alice.ExpectAsync("* you joined #new (0 others here)");
        await bob.SendAsync("outage 1");
        await bob.SendAsync("outage 2");
        await bob.SyncAsync();

        await cluster.Redis.RestartAsync();
        await alice.ExpectAsync("[#new] <bob> outage 1");
        await alice.ExpectAsync("[#new] <bob> outage 2");
    }

    [Test]
    public async Task Past_the_backlog_a_sender_is_told_which_line_was_not_delivered()
    {
        await using var cluster = await TestCluster.StartAsync(2, "--cluster-backlog", "2");
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await cluster.Redis.StopAsync();
        await alice.ExpectAsync(Paused);

        await alice.SendAsync("one");
        await alice.SendAsync("two");
        await alice.SendAsync("three");
        await alice.ExpectAsync("! not delivered to other servers (their backlog is full): [#lobby] three");

        await cluster.Redis.RestartAsync();
        await bob.ExpectAsync("[#lobby] <alice> one");
        await bob.ExpectAsync("[#lobby] <alice> two");
        await bob.SyncAsync();
        bob.Seen.Should().NotContain("[#lobby] <alice> three");
    }

    [Test]
    public async Task A_node_whose_Redis_is_unreachable_at_start_starts_says_so_and_joins_when_Redis_comes()
    {
        await using var cluster = await TestCluster.StartAsync(1);
        await cluster.Redis.StopAsync();
        await cluster.KillNodeAsync(0);
        await cluster.StartNodeAsync(0);
        cluster.Node(0).Stdout.Should().Contain(line => line.Contains("node n1 cannot reach Redis", StringComparison.Ordinal), "the start says Redis is unreachable");

        await using var early = await ChatClient.ConnectAsync(cluster.Port(0));
        early.Nick.Should().MatchRegex("^guest[0-9]+-n1$", "a guest nick made in an outage carries the node");

        await cluster.Redis.RestartAsync();
        await early.ExpectAsync(Resumed);
        await early.SendAsync("/nick early");
        await early.ExpectAsync("* you are now known as early");
    }
}
