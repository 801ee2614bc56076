using System.Globalization;
using ChatServer.Clients;
using ChatServer.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Supervision;

namespace ChatServer.Tests.Abuse;

/// <summary>
/// The idle timeout runs on the server's <see cref="TimeProvider"/>, here a fake clock that moves only
/// when told. Every call in the server times out on the same clock, so the clock is moved only while
/// nothing waits on a call: after every client has read its greeting and answered a ping. A client's
/// idle timer exists once its greeting arrives (it is made before the socket loops start).
/// </summary>
public class IdleTests
{
    private const string Kicked = "! disconnected after 60 s without input";
    private static readonly TimeSpan s_idle = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_silent_client_is_kept_until_the_idle_timeout_has_passed()
    {
        // Protection: idle timeout (IdleTimeout), not a second early.
        var clock = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(o => o with { TimeProvider = clock, IdleTimeout = s_idle }, captureLogs: true);
        await using var alice = await server.ConnectAsync();

        clock.Advance(TimeSpan.FromSeconds(59));

        // A check due by now would be handled before this ping, and would have cut alice off.
        (await alice.SyncAsync("at 59 s")).Should().BeEmpty();
        server.Logs.WithId(ClientLogEvents.IdleTimeout).Should().BeEmpty();
    }

    [Test]
    public async Task A_line_restarts_the_idle_timeout()
    {
        // Protection detail: the idle timeout counts from the last input line, not from the connect.
        var clock = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(o => o with { TimeProvider = clock, IdleTimeout = s_idle }, captureLogs: true);
        await using var alice = await server.ConnectAsync();
        var worker = await server.WorkerAsync(alice.Nick);

        clock.Advance(TimeSpan.FromSeconds(59));
        await alice.SyncAsync("at 59 s");
        clock.Advance(TimeSpan.FromSeconds(59));

        // 118 s after connecting, but 59 s after her last line: the check due at 60 s found her active.
        (await alice.SyncAsync("at 118 s")).Should().BeEmpty();
        worker.HasExited.Should().BeFalse();

        clock.Advance(s_idle);

        (await alice.ExpectClosedAsync()).Should().Equal([Kicked], "60 s after her last line she is idle");
        (await worker.Completion.WaitAsync(TestServer.Wait)).Detail.Should().Be("idle timeout");
    }

    [Test]
    public async Task A_client_silent_for_the_idle_timeout_is_disconnected_and_it_is_logged()
    {
        // Protection: idle timeout, the idle client is told why, the room sees it leave, and event 107 is logged.
        var clock = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(o => o with { TimeProvider = clock, IdleTimeout = s_idle }, captureLogs: true);
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await server.ConnectAsync();
        await bob.ExpectAsync($"* {alice.Nick} joined #lobby");
        var worker = await server.WorkerAsync(alice.Nick);

        clock.Advance(TimeSpan.FromSeconds(30));
        await bob.SyncAsync("at 30 s");
        clock.Advance(TimeSpan.FromSeconds(31));

        (await alice.ExpectClosedAsync()).Should().Equal([Kicked]);
        await bob.ExpectAsync($"* {alice.Nick} left #lobby (quit: idle timeout)");
        (await bob.SyncAsync("at 61 s")).Should().BeEmpty("bob spoke 31 s ago: he stays");
        var exit = await worker.Completion.WaitAsync(TestServer.Wait);
        exit.Kind.Should().Be(ExitKind.Shutdown);
        exit.Detail.Should().Be("idle timeout");
        server.Logs.WithId(ClientLogEvents.IdleTimeout).Should().ContainSingle().Which.Message.Should().Contain(alice.Nick).And.Contain("00:01:00");
    }

    [Test]
    public async Task Without_an_idle_timeout_a_silent_client_stays()
    {
        // Protection switch: IdleTimeout zero (the default) never disconnects a silent client.
        var clock = new FakeTimeProvider();
        await using var server = await TestServer.StartAsync(o => o with { TimeProvider = clock }, captureLogs: true);
        await using var alice = await server.ConnectAsync();

        clock.Advance(TimeSpan.FromDays(1));

        (await alice.SyncAsync("a day later")).Should().BeEmpty();
        server.Logs.WithId(ClientLogEvents.IdleTimeout).Should().BeEmpty();
    }

    [Test]
    [Platform("Linux")]
    public async Task Accepted_connections_have_tcp_keepalive_on_with_a_60_s_idle_time()
    {
        // Protection: TCP keepalive, so a peer that vanished without a FIN is found; read from the kernel's socket table.
        await using var server = await TestServer.StartAsync(captureLogs: true);
        await using var alice = await server.ConnectAsync();
        await alice.SyncAsync();
        var clientPort = ((System.Net.IPEndPoint)alice.Socket.LocalEndPoint!).Port;

        // The kernel shows a keepalive timer (2) once nothing is in flight; the client's own socket, without keepalive, shows none (0).
        var deadline = DateTime.UtcNow + TestServer.Wait;
        (int Timer, double Seconds) serverSide;
        while (true)
        {
            serverSide = Timer(local: server.Port, remote: clientPort);
            if (serverSide.Timer == 2 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Yield();
        }

        serverSide.Timer.Should().Be(2, "SO_KEEPALIVE is on for the accepted socket");
        serverSide.Seconds.Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(60, "the first probe is due after 60 s of silence, not the system's 2 h");
        Timer(local: clientPort, remote: server.Port).Timer.Should().NotBe(2, "the test's own socket has no keepalive: the check can tell them apart");
    }

    /// <summary>The timer of the established connection from <paramref name="local"/> to <paramref name="remote"/> in the kernel's socket table, and when it fires.</summary>
    private static (int Timer, double Seconds) Timer(int local, int remote)
    {
        // The test client's socket is IPv4 (listed in tcp); a dual-mode IPv6 socket's end would be listed in tcp6.
        foreach (var row in File.ReadLines("/proc/net/tcp").Skip(1).Concat(File.ReadLines("/proc/net/tcp6").Skip(1)))
        {
            var fields = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (Port(fields[1]) == local && Port(fields[2]) == remote && fields[3] == "01")
            {
                var timer = fields[5].Split(':');
                return (int.Parse(timer[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    long.Parse(timer[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 100.0);
            }
        }

        throw new AssertionException($"no established connection from port {local} to port {remote} in /proc/net/tcp or tcp6");
    }

    private static int Port(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
