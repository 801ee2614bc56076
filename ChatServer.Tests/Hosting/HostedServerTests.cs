using System.Net;
using System.Net.Sockets;
using ChatServer.Hosting;
using ChatServer.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervision;

namespace ChatServer.Tests.Hosting;

/// <summary>The server on the Generic Host as the program builds it, in process.</summary>
public class HostedServerTests
{
    [Test]
    public async Task Healthz_turns_503_when_the_host_begins_to_stop_and_the_endpoint_closes_after_the_tree()
    {
        var errors = new List<string>();
        var commandLine = CommandLine.Create((_, _) => Task.FromResult(0)).Parse(["--port", "0", "--bind", "127.0.0.1", "--no-irc", "--metrics-port", "0", "--log-level", "Warning"]);
        var host = ChatServerApp.Build(commandLine, _ => null, errors) ?? throw new AssertionException(string.Join("; ", errors));
        await using var disposal = (IAsyncDisposable)host;
        var instance = host.Services.GetRequiredService<ServerInstance>();
        instance.OpenListeners();
        await host.StartAsync();
        var endPoint = instance.Server.MetricsEndPoint!;
        (await HealthCheck.GetAsync(endPoint)).Status.Should().Be(HttpStatusCode.OK);

        // A child of clients that holds the tree's graceful stop open until released.
        var gate = await StopGate.StartUnderAsync(instance.Server.Services.Names, "clients");
        var stopping = host.StopAsync();
        await gate.StopReached.WaitAsync(TestServer.Wait);

        var (status, body) = await HealthCheck.GetAsync(endPoint);
        status.Should().Be(HttpStatusCode.ServiceUnavailable, "the host's stop has begun");
        body.Should().StartWith("stopping");
        host.Services.GetRequiredService<ISupervisionTree>().Root.HasExited.Should().BeFalse("the tree is still stopping");

        gate.Release();
        await stopping.WaitAsync(TestServer.Wait);
        (await host.Services.GetRequiredService<ISupervisionTree>().Completion).Kind.Should().Be(ExitKind.Shutdown);
        await disposal.DisposeAsync();
        using var tcp = new TcpClient();
        var connect = async () => await tcp.ConnectAsync(endPoint);
        (await connect.Should().ThrowAsync<SocketException>()).Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused, "the endpoint closes with the host");
    }

    [Test]
    public void Bad_settings_build_no_host_and_say_which_flag_and_variable()
    {
        var errors = new List<string>();
        var commandLine = CommandLine.Create((_, _) => Task.FromResult(0)).Parse(["--history", "-1"]);

        var host = ChatServerApp.Build(commandLine, name => name == "CHAT_MAX_PER_IP" ? "lots" : null, errors);

        host.Should().BeNull();
        errors.Should().Equal("CHAT_MAX_PER_IP=lots is not a valid value for --max-per-ip");
    }
}
