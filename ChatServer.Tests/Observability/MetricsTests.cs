using ChatServer.Chat;
using ChatServer.Tests.Chaos;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Observability;

public class MetricsTests
{
    [Test]
    public async Task Scraped_metrics_count_the_traffic_by_protocol_with_bounded_labels()
    {
        await using var server = await TestServer.StartAsync(o => o with { MetricsPort = 0 });
        var endPoint = server.Host.MetricsEndPoint ?? throw new AssertionException("the metrics port is on");
        await using var alice = await server.ConnectAsync("metricsalice");
        await using var bob = await server.ConnectAsync("metricsbob");
        await using var carol = await server.ConnectIrcAsync("metricscarol");
        foreach (var client in new[] { alice, bob })
        {
            await client.SendAsync("/join #metricsroom");
            await client.ExpectAsync(l => l.StartsWith("* you joined #metricsroom", StringComparison.Ordinal));
        }

        await carol.SendAsync("JOIN #metricsroom");
        await carol.ExpectAsync("366");
        await bob.SyncAsync();
        var before = await PrometheusText.ScrapeAsync(endPoint);

        for (var i = 1; i <= 5; i++)
        {
            await alice.SendAsync($"line {i}");
        }

        await bob.ExpectAsync("[#metricsroom] <metricsalice> line 5");
        await carol.ExpectAsync("PRIVMSG", reply => reply.Trailing == "line 5");
        var after = await PrometheusText.ScrapeAsync(endPoint);

        // Each of the 5 lines is handed to the 2 other members, once each.
        (after.Sum("chat_deliveries_total") - before.Sum("chat_deliveries_total")).Should().Be(10);
        (after.Sum("chat_messages_received_total") - before.Sum("chat_messages_received_total")).Should().Be(5);
        (after.Sum("chat_lines_sent_total") - before.Sum("chat_lines_sent_total")).Should().BeGreaterThanOrEqualTo(10);
        after.Sum("chat_connections", ("protocol", "line")).Should().BeGreaterThanOrEqualTo(2);
        after.Sum("chat_connections", ("protocol", "irc")).Should().BeGreaterThanOrEqualTo(1);
        after.Sum("chat_connections_accepted_total", ("protocol", "line")).Should().BeGreaterThanOrEqualTo(2);
        after.Sum("chat_rooms").Should().BeGreaterThanOrEqualTo(2, "#lobby and #metricsroom run");
        after.Samples.Should().Contain(s => s.Name.StartsWith("supervision_", StringComparison.Ordinal), "the library's meter is exported too");
        after.Sum("supervision_children_active", ("supervisor", "clients")).Should().BeGreaterThanOrEqualTo(3, "the three clients connected before the scrape are running");
        after.Sum("supervision_children_active", ("supervisor", "chat")).Should().BeGreaterThanOrEqualTo(5, "the tree started before the exporter is counted");

        var labelValues = after.Samples.SelectMany(s => s.Labels.Values).Distinct().ToList();
        labelValues.Should().NotContain(v => v.Contains("metrics", StringComparison.OrdinalIgnoreCase) || v.Contains('#') || v.Contains("127.0.0.1", StringComparison.Ordinal),
            "no label names a person, a room or an address: " + string.Join(", ", labelValues));
    }

    [Test]
    public async Task A_restart_shows_in_supervision_restarts_total_by_supervisor()
    {
        await using var server = await TestServer.StartAsync(o => o with { MetricsPort = 0 });
        var endPoint = server.Host.MetricsEndPoint!;
        var presence = server.Host.Services.Presence!;
        var before = (await PrometheusText.ScrapeAsync(endPoint)).Sum("supervision_restarts_total", ("supervisor", "chat"));

        server.Host.Faults.Crash("presence").Should().BeTrue();

        // Once the root has handled the exit, it has counted the restart (it counts before it restarts).
        await presence.ExitHandledAsync(server.Host.Root);
        var restarts = (await PrometheusText.ScrapeAsync(endPoint)).Sum("supervision_restarts_total", ("supervisor", "chat"));

        (restarts - before).Should().Be(1);
    }

    [Test]
    public async Task A_room_crash_is_counted_under_the_child_label_room_never_under_the_rooms_name()
    {
        await using var server = await TestServer.StartAsync(o => o with { MetricsPort = 0, EnableFaultInjection = true });
        var endPoint = server.Host.MetricsEndPoint!;
        await using var alice = await server.ConnectAsync("crashalice");
        await alice.SendAsync("/join #crashroom");
        await alice.ExpectAsync(l => l.StartsWith("* you joined #crashroom", StringComparison.Ordinal));
        var room = (await server.Host.Services.Rooms!.FindAsync("#crashroom"))!;
        var roomSupervisor = (ISupervisor)server.Host.Services.Names.WhereIs(ServiceNames.RoomSupervisor)!;
        var before = (await PrometheusText.ScrapeAsync(endPoint)).Sum("supervision_crashes_total", ("supervisor", ServiceNames.RoomSupervisor), ("child", "room"));

        (await server.Host.Faults.CrashRoomAsync("#crashroom")).Should().BeTrue();
        await room.ExitHandledAsync(roomSupervisor);
        var after = await PrometheusText.ScrapeAsync(endPoint);

        // The meters are the process's: a server of an earlier test, still stopping, may add to it; never fewer.
        (after.Sum("supervision_crashes_total", ("supervisor", ServiceNames.RoomSupervisor), ("child", "room")) - before).Should().BeGreaterThanOrEqualTo(1);
        after.Samples.SelectMany(s => s.Labels.Values).Should().NotContain(v => v.Contains('#'), "a room's name is never a label value");
    }

    [Test]
    public async Task A_refused_connection_is_counted_by_protocol_and_reason()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxClients = 1, MetricsPort = 0 });
        var endPoint = server.Host.MetricsEndPoint!;
        await using var alice = await server.ConnectAsync("alice");
        var before = await PrometheusText.ScrapeAsync(endPoint);

        await using (var refused = await ChatClient.ConnectRawAsync(server.Port))
        {
            (await refused.ExpectClosedAsync()).Should().Equal("! server full");
        }

        var after = await PrometheusText.ScrapeAsync(endPoint);
        var full = new[] { ("protocol", "line"), ("reason", "full") };
        (after.Sum("chat_connections_refused_total", full) - before.Sum("chat_connections_refused_total", full)).Should().Be(1);
        (after.Sum("chat_connections_accepted_total") - before.Sum("chat_connections_accepted_total")).Should().Be(0);
    }

    [Test]
    public async Task Without_a_metrics_port_the_host_serves_no_endpoint()
    {
        await using var server = await TestServer.StartAsync();

        server.Host.MetricsEndPoint.Should().BeNull();
    }

    [Test]
    public void The_metrics_port_is_validated_like_the_others()
    {
        var invalid = () => (ChatServer.Hosting.ChatServerOptions.Defaults with { MetricsPort = 70000 }).Validate();

        invalid.Should().Throw<ArgumentException>().WithMessage("--metrics-port must be 0 to 65535 (got 70000)");
    }
}
