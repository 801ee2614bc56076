using System.Net;
using System.Net.Sockets;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Supervision;

public class GracefulShutdownTests
{
    private const string ShuttingDown = "* server shutting down";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Stopping_tells_every_client_the_server_is_shutting_down_then_closes_and_exits_with_shutdown()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await carol.SendAsync("/join #elsewhere");
        await carol.ExpectAsync(l => l.StartsWith("* you joined #elsewhere", StringComparison.Ordinal));

        var reason = await server.Host.StopAsync().WaitAsync(s_wait);

        reason.Kind.Should().Be(ExitKind.Shutdown);
        foreach (var client in new[] { alice, bob, carol })
        {
            var lines = await client.ExpectClosedAsync();
            lines.Should().NotBeEmpty($"{client.Nick} is told before the connection closes");
            lines[^1].Should().Be(ShuttingDown, $"{client.Nick}'s last line is the notice; lines: [{string.Join(" | ", lines)}]");
            lines.Should().ContainSingle(l => l == ShuttingDown);
        }
    }

    [Test]
    public async Task Lines_queued_before_the_stop_are_delivered_before_the_shutdown_notice()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var said = Enumerable.Range(1, 50).Select(i => $"line {i} before the stop").ToList();
        foreach (var line in said)
        {
            await alice.SendAsync(line);
        }

        // Once alice's pong is back the room has relayed all her lines to bob's queue; bob reads nothing yet.
        await alice.SyncAsync();
        var reason = await server.Host.StopAsync().WaitAsync(s_wait);

        reason.Kind.Should().Be(ExitKind.Shutdown);
        var bobSaw = await bob.ExpectClosedAsync();
        var expected = said.Select(l => $"[#lobby] <alice> {l}").Append(ShuttingDown).ToList();
        bobSaw.Where(l => expected.Contains(l)).Should().Equal(expected, "everything queued for bob arrives, in order, before the notice");
        bobSaw[^1].Should().Be(ShuttingDown);
    }

    [Test]
    public async Task After_stopping_the_port_no_longer_accepts_connections()
    {
        await using var server = await TestServer.StartAsync();
        var port = server.Port;
        await using (var client = await server.ConnectAsync())
        {
            await server.Host.StopAsync().WaitAsync(s_wait);
            await client.ExpectClosedAsync();
        }

        using var tcp = new TcpClient();
        using var cancel = new CancellationTokenSource(s_wait);
        var connect = async () => await tcp.ConnectAsync(IPAddress.Loopback, port, cancel.Token);
        (await connect.Should().ThrowAsync<SocketException>()).Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused);
    }

    [Test]
    public async Task Stopping_a_server_with_no_clients_completes_with_shutdown()
    {
        await using var server = await TestServer.StartAsync();

        var reason = await server.Host.StopAsync().WaitAsync(s_wait);

        reason.Kind.Should().Be(ExitKind.Shutdown);
        (await server.Host.Completion).Should().BeSameAs(reason);
        server.Host.Services.Names.Count.Should().Be(0, "every registered service has exited");
    }
}
