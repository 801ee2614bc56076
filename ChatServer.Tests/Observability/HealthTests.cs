using System.Net;
using System.Net.Sockets;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Observability;

public class HealthTests
{
    [Test]
    public async Task Healthz_is_200_with_the_tree_and_counts_of_clients_not_a_line_per_client()
    {
        const int Clients = 300;
        await using var server = await TestServer.StartAsync(o => o with { MetricsPort = 0 });
        await using var clients = new ClientGroup();
        await clients.AddAllAsync([.. Enumerable.Range(0, Clients).Select(_ => server.ConnectAsync())], TestServer.Wait);

        var (status, body) = await HealthCheck.GetAsync(server.Host.MetricsEndPoint!);

        status.Should().Be(HttpStatusCode.OK);
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("ok");
        body.Should().Contain("chat (one_for_one)").And.Contain("presence [worker] running").And.Contain("acceptor [worker] running").And.Contain("irc_acceptor [worker] running");
        body.Should().Contain($"{Clients} children: {Clients} running ({Clients} workers, 0 supervisors)", "the clients are counted");
        lines.Should().HaveCountLessThan(20, "a dynamic supervisor's children are summarised, not listed");
    }

    [Test]
    public async Task Healthz_is_503_from_the_start_of_the_stop_until_the_endpoint_closes_after_the_tree()
    {
        await using var server = await TestServer.StartAsync(o => o with { MetricsPort = 0 });
        var endPoint = server.Host.MetricsEndPoint!;
        (await HealthCheck.GetAsync(endPoint)).Status.Should().Be(HttpStatusCode.OK);

        // A child of clients that holds the stop open until released: the tree is stopping, not stopped.
        var gate = await StopGate.StartUnderAsync(server.Host.Services.Names, "clients");
        var stopping = server.Host.StopAsync();
        await gate.StopReached.WaitAsync(TestServer.Wait);

        var (status, body) = await HealthCheck.GetAsync(endPoint);
        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.Should().StartWith("stopping");
        server.Host.Root.HasExited.Should().BeFalse("the tree is still stopping while /healthz answers");

        gate.Release();
        (await stopping.WaitAsync(TestServer.Wait)).Kind.Should().Be(ExitKind.Shutdown);
        using var tcp = new TcpClient();
        var connect = async () => await tcp.ConnectAsync(endPoint);
        (await connect.Should().ThrowAsync<SocketException>()).Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused, "the endpoint closes with the host");
    }
}
