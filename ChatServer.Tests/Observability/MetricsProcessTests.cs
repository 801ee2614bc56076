using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ChatServer.Tests.Processes;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Observability;

public class MetricsProcessTests
{
    [Test]
    public async Task The_server_prints_where_metrics_listen_and_serves_them_there()
    {
        var (server, port) = await ServerProcess.StartAsync("--metrics-port", "0", "--node-name", "metrics-node");
        await using var _ = server;
        var ircPort = await ServerProcess.ReadIrcPortAsync(server);
        var metricsPort = await ServerProcess.ReadMetricsPortAsync(server);

        var scrape = await PrometheusText.ScrapeAsync(new IPEndPoint(IPAddress.Loopback, metricsPort));
        scrape.Named("chat_rooms").Should().ContainSingle().Which.Value.Should().Be(1, "#lobby runs");
        var target = scrape.Named("target_info").Should().ContainSingle().Subject.Labels;
        target.Should().Contain("service_name", "supervisedchat").And.Contain("service_instance_id", "metrics-node");
        using var http = new HttpClient { Timeout = TestServer.Wait };
        (await http.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}/healthz"))).StatusCode.Should().Be(HttpStatusCode.OK);
        ListeningPorts.Of(server.Id).Should().BeEquivalentTo([port, ircPort, metricsPort]);
    }

    [Test]
    public async Task Without_the_flag_nothing_more_listens_and_no_metrics_code_is_loaded()
    {
        var (server, port) = await ServerProcess.StartAsync();
        await using var _ = server;
        var ircPort = await ServerProcess.ReadIrcPortAsync(server);
        await using (var client = await ChatClient.ConnectAsync(port))
        {
            await client.SendAsync("said with metrics off");
            await client.SyncAsync();
        }

        ListeningPorts.Of(server.Id).Should().BeEquivalentTo([port, ircPort]);
        var loaded = File.ReadLines($"/proc/{server.Id}/maps").Select(l => Path.GetFileName(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])).Distinct().ToList();
        loaded.Should().NotContain(f => f.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || f.StartsWith("OpenTelemetry", StringComparison.Ordinal),
            "the metrics endpoint and the SDK are loaded only with --metrics-port or --otlp-endpoint");
    }

    [Test]
    public async Task The_CHAT_METRICS_PORT_variable_turns_the_endpoint_on()
    {
        await using var server = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1"], new Dictionary<string, string?> { ["CHAT_METRICS_PORT"] = "0" });

        var metricsPort = await ServerProcess.ReadMetricsPortAsync(server);

        (await PrometheusText.ScrapeAsync(new IPEndPoint(IPAddress.Loopback, metricsPort))).Named("chat_rooms").Should().ContainSingle();
    }

    [Test]
    public async Task A_metrics_port_in_use_fails_fast_with_exit_code_2_and_says_why()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        await using var server = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1", "--metrics-port", port]);
        var exitCode = await server.WaitForExitAsync(ServerProcess.StartWait);

        exitCode.Should().Be(2, $"a bind failure is a startup error; {server.Transcript()}");
        server.Stderr.Should().Contain($"127.0.0.1:{port}");
        server.Stdout.Should().NotContain(l => l.StartsWith("metrics listening", StringComparison.Ordinal));
    }
}
