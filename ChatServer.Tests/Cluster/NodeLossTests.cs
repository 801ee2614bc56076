using System.Diagnostics;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Cluster;

/// <summary>A node that dies, restarts or stops: the others see its people quit, and their nicks become free.</summary>
[TestFixture]
public sealed class NodeLossTests
{
    [Test]
    public async Task A_killed_nodes_people_quit_everywhere_within_the_lease_and_their_nicks_become_free()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await bob.SendAsync("/join #x");
        await bob.ExpectAsync("* you joined #x (0 others here)");
        await alice.SendAsync("/join #x");
        await alice.ExpectAsync("* you joined #x (1 other here)");

        var silentSince = await cluster.WaitForHeartbeatAsync(1);
        await cluster.KillNodeAsync(1);

        // The quit says the server was lost, within the lease and its watching period (2.5 s here; docs/cluster.md),
        // which the wait bounds only loosely: an upper bound tight enough to mean something would flake on a loaded
        // 2-core machine. What cannot flake is the other side: n2's last heartbeat came after silentSince, and a
        // survivor declares it lost only after watching that heartbeat unchanged for a whole lease, so no quit may
        // arrive sooner (load only makes everything later).
        await alice.ExpectAllAsync("* bob left #x (quit: server n2 lost)", "* bob left #lobby (quit: server n2 lost)");
        Stopwatch.GetElapsedTime(silentSince).Should().BeGreaterThanOrEqualTo(TestCluster.Lease, "no one is declared lost before a whole lease without a heartbeat");

        (await alice.CommandAsync("/who #x")).Should().Contain("* members of #x (1): alice");
        await using var newBob = await cluster.ConnectAsync(0, "bob");
    }

    [Test]
    public async Task A_node_restarted_under_its_name_leaves_no_ghosts_of_its_previous_run()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        var bob = await cluster.ConnectAsync(1, "bob");
        await using (bob)
        {
            await bob.SendAsync("/join #x");
            await bob.ExpectAsync("* you joined #x (0 others here)");
            await alice.SendAsync("/join #x");
            await alice.ExpectAsync("* you joined #x (1 other here)");
            await cluster.KillNodeAsync(1);
        }

        await cluster.StartNodeAsync(1);

        // Cleared by the restarted node itself or, if it came back after the lease, by the survivor.
        await alice.ExpectAsync(line => line.StartsWith("* bob left #x (quit: server n2 ", StringComparison.Ordinal), TestCluster.LossWait);
        await using var carol = await cluster.ConnectAsync(1, "carol");
        await carol.SendAsync("/join #x");
        await carol.ExpectAsync("* you joined #x (1 other here)");
        (await carol.CommandAsync("/who")).Should().Contain("* members of #x (2): alice, carol");
        await using var newBob = await cluster.ConnectAsync(1, "bob");
    }

    [Test]
    public async Task A_node_stopped_gracefully_tells_its_people_and_the_others_see_them_quit_as_on_a_shutdown()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await alice.SyncAsync();

        await cluster.Node(1).TerminateAsync();

        await bob.ExpectAsync("* server shutting down");
        await bob.ExpectClosedAsync();
        await alice.ExpectAsync("* bob left #lobby (quit: server shutting down)");
        (await cluster.Node(1).WaitForExitAsync()).Should().Be(0);
        await using var newBob = await cluster.ConnectAsync(0, "bob");
    }

    [Test]
    public async Task A_node_frozen_past_its_lease_is_declared_lost_then_announces_its_people_again_when_it_wakes()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await using var carol = await cluster.ConnectAsync(1, "carol");
        await alice.SyncAsync();

        ChatClient newBob;
        await cluster.PauseNodeAsync(1);
        try
        {
            await alice.ExpectAllAsync("* bob left #lobby (quit: server n2 lost)", "* carol left #lobby (quit: server n2 lost)");

            // While n2 is out, its people's nicks are free: someone here takes one.
            newBob = await cluster.ConnectAsync(0, "bob");
        }
        finally
        {
            await cluster.ResumeNodeAsync(1);
        }

        await using (newBob)
        {
            // The nick stays with the one who took it; n2's bob is told and renamed.
            var notice = await bob.ExpectAsync(l => l.StartsWith("* while this server was cut off from the others, someone there took bob; you are now known as ", StringComparison.Ordinal), TestCluster.LossWait);
            var guest = notice[(notice.LastIndexOf(' ') + 1)..];
            await alice.ExpectAllAsync("* carol joined #lobby", $"* bob is now known as {guest} in #lobby");
            await carol.SendAsync("I am back");
            await alice.ExpectAsync("[#lobby] <carol> I am back");
            await alice.SendAsync("/msg bob to the bob here");
            await newBob.ExpectAsync("[pm] <alice> to the bob here");
        }
    }
}
