using System.Net;
using System.Net.Sockets;
using ChatServer.Chat;
using ChatServer.Network;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Abuse;

public class ConnectionLimitTests
{
    private const string TooMany = "! too many connections from your address";
    private const string Welcomed = "* type /help for commands";
    private static readonly IPAddress s_otherLoopback = IPAddress.Parse("127.0.0.2");

    [Test]
    public async Task A_connection_over_the_per_address_limit_is_refused_closed_and_logged()
    {
        // Protection: per-IP connection limit (MaxPerIp), the 4th connection from one address is told why and closed.
        await using var server = await TestServer.StartAsync(o => o with { MaxPerIp = 3 }, captureLogs: true);
        await using var first = await server.ConnectAsync("first");
        await using var second = await server.ConnectAsync();
        await using var third = await server.ConnectAsync();
        await first.SyncAsync("joined");

        await using var fourth = await ChatClient.ConnectRawAsync(server.Port, wait: TestServer.Wait);

        (await fourth.ExpectClosedAsync()).Should().Equal([TooMany], "the refused connection gets exactly the refusal, then EOF");
        server.Logs.WithId(AcceptorLogEvents.Refused).Should().ContainSingle().Which.Message.Should().Contain("127.0.0.1").And.EndWith(": too many connections from your address");
        (await first.SyncAsync()).Should().BeEmpty("the refused connection never joined #lobby");
    }

    [Test]
    public async Task After_a_client_quits_its_address_may_connect_again()
    {
        // Protection detail: per-IP slots are given back when a client leaves, so the limit counts open connections only.
        await using var server = await TestServer.StartAsync(o => o with { MaxPerIp = 3 }, captureLogs: true);
        await using var first = await server.ConnectAsync("first");
        await using var second = await server.ConnectAsync();
        await using var third = await server.ConnectAsync("third");
        await using (var refused = await ChatClient.ConnectRawAsync(server.Port, wait: TestServer.Wait))
        {
            (await refused.ExpectClosedAsync()).Should().Equal(TooMany);
        }

        var thirdWorker = await server.WorkerAsync("third");
        await third.SendAsync("/quit");
        await third.ExpectAsync("* bye");
        await third.ExpectClosedAsync();
        await thirdWorker.Completion.WaitAsync(TestServer.Wait);

        // The slot is given back when the worker exits, before its completion is observable: no retry needed.
        await using var again = await server.ConnectAsync("again");
        await again.SendAsync("I got in");
        await first.ExpectAsync("[#lobby] <again> I got in");

        await using var fourth = await ChatClient.ConnectRawAsync(server.Port, wait: TestServer.Wait);
        (await fourth.ExpectClosedAsync()).Should().Equal([TooMany], "first, second and again fill the address's 3 slots again");
    }

    [Test]
    public async Task Connections_from_another_address_are_counted_separately()
    {
        // Protection detail: the per-IP limit is per source address, one address at its limit does not lock out another.
        await using var server = await TestServer.StartAsync(o => o with { MaxPerIp = 3 }, captureLogs: true);
        await using var a1 = await server.ConnectAsync("a1");
        await using var a2 = await server.ConnectAsync();
        await using var a3 = await server.ConnectAsync();
        await using (var refused = await ChatClient.ConnectRawAsync(server.Port, wait: TestServer.Wait))
        {
            (await refused.ExpectClosedAsync()).Should().Equal(TooMany);
        }

        await using var others = new ClientGroup();
        for (var i = 0; i < 3; i++)
        {
            var peer = await ChatClient.ConnectRawAsync(server.Port, from: s_otherLoopback, wait: TestServer.Wait);
            others.Add(peer);
            await peer.ExpectAsync(Welcomed);
            ((IPEndPoint)peer.Socket.LocalEndPoint!).Address.Should().Be(s_otherLoopback);
        }

        await using var fourthOther = await ChatClient.ConnectRawAsync(server.Port, from: s_otherLoopback, wait: TestServer.Wait);
        (await fourthOther.ExpectClosedAsync()).Should().Equal([TooMany], "127.0.0.2 has its own limit of 3, now reached");
        await using var fourthFirst = await ChatClient.ConnectRawAsync(server.Port, wait: TestServer.Wait);
        (await fourthFirst.ExpectClosedAsync()).Should().Equal([TooMany], "127.0.0.1 is still at its limit");

        await others[0].SendAsync("hello from 127.0.0.2");
        await a1.ExpectAsync(l => l.EndsWith("> hello from 127.0.0.2", StringComparison.Ordinal));
        server.Logs.WithId(AcceptorLogEvents.Refused).Select(e => e.Message).Should().HaveCount(3)
            .And.ContainSingle(m => m.Contains("127.0.0.2", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_connection_over_max_clients_is_told_the_server_is_full_and_its_address_slot_is_given_back()
    {
        // Protection: total connection limit (MaxClients), "! server full" and a close; the refusal does not use up a per-IP slot.
        await using var server = await TestServer.StartAsync(o => o with { MaxClients = 2, MaxPerIp = 3 }, captureLogs: true);
        await using var first = await server.ConnectAsync("first");
        await using var second = await server.ConnectAsync();
        await first.SyncAsync("joined");

        for (var i = 0; i < 3; i++)
        {
            await using var refused = await ChatClient.ConnectRawAsync(server.Port, wait: TestServer.Wait);
            (await refused.ExpectClosedAsync()).Should().Equal(["! server full"], "the server is full, whatever the address has left");
        }

        server.Logs.WithId(AcceptorLogEvents.Refused).Should().HaveCount(3).And.OnlyContain(e => e.Message.EndsWith(": server full", StringComparison.Ordinal));
        (await first.SyncAsync()).Should().BeEmpty("no refused connection joined #lobby");
    }

    [Test]
    public async Task The_acceptor_never_waits_on_silent_or_stalled_peers()
    {
        // Protection: accept never blocks on a slow or malicious peer; 50 silent, 2 half-line and 10 reset connections do not delay a real client.
        await using var server = await TestServer.StartAsync(captureLogs: true);
        await using var peers = new ClientGroup();
        for (var i = 0; i < 50; i++)
        {
            peers.Add(await ChatClient.ConnectRawAsync(server.Port, receiveBuffer: 1024, wait: TestServer.Wait));
        }

        for (var i = 0; i < 2; i++)
        {
            var stalled = await ChatClient.ConnectRawAsync(server.Port, wait: TestServer.Wait);
            peers.Add(stalled);
            await stalled.SendRawAsync("a line that never ends"u8.ToArray());
        }

        for (var i = 0; i < 10; i++)
        {
            await using var reset = await ChatClient.ConnectRawAsync(server.Port, wait: TestServer.Wait);
            reset.Socket.LingerState = new LingerOption(true, 0);
        }

        // Within the client's normal 10 s wait for its greeting.
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("still quick");
        await bob.ExpectAsync("[#lobby] <alice> still quick");
        (await alice.SyncAsync()).Should().NotContain(l => l.StartsWith("! ", StringComparison.Ordinal));
    }

    [Test]
    public async Task The_per_address_counts_survive_an_acceptor_restart()
    {
        // Protection: per-IP limit across an acceptor crash, the restarted acceptor recounts the open connections.
        await using var server = await TestServer.StartAsync(o => o with { MaxPerIp = 3 }, captureLogs: true);
        await using var first = await server.ConnectAsync("first");
        await using var second = await server.ConnectAsync();
        await using var third = await server.ConnectAsync("third");
        var crashed = server.Host.Services.Names.WhereIs(ServiceNames.Acceptor).Should().BeOfType<Acceptor>().Subject;

        server.Host.Faults.Crash(ServiceNames.Acceptor).Should().BeTrue();
        (await crashed.Completion.WaitAsync(TestServer.Wait)).Kind.Should().Be(ExitKind.Failure);

        // Waits in the backlog until the new acceptor takes it: refused only if the new one counted the 3 open connections.
        await using (var refused = await ChatClient.ConnectRawAsync(server.Port, wait: TestServer.Wait))
        {
            (await refused.ExpectClosedAsync()).Should().Equal([TooMany], "the restarted acceptor still counts 3 open connections from 127.0.0.1");
        }

        server.Host.Services.Names.WhereIs(ServiceNames.Acceptor).Should().BeOfType<Acceptor>().And.NotBeSameAs(crashed);

        // And the restarted acceptor gives back the slot of a client that was connected before the crash.
        var thirdWorker = await server.WorkerAsync("third");
        await third.SendAsync("/quit");
        await third.ExpectClosedAsync();
        await thirdWorker.Completion.WaitAsync(TestServer.Wait);
        await using var again = await server.ConnectAsync("again");
        await using var fourth = await ChatClient.ConnectRawAsync(server.Port, wait: TestServer.Wait);
        (await fourth.ExpectClosedAsync()).Should().Equal([TooMany]);
    }
}
