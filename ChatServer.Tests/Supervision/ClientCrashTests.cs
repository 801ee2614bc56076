using ChatServer.Chat;
using ChatServer.Clients;
using ChatServer.Faults;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Supervision;

public class ClientCrashTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task A_crashed_client_worker_closes_only_its_own_connection_and_everyone_else_keeps_chatting()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await carol.SendAsync("/join #ops");
        await carol.ExpectAsync(l => l.StartsWith("* you joined #ops", StringComparison.Ordinal));
        await alice.SendAsync("/join #ops");
        await alice.ExpectAsync(l => l.StartsWith("* you joined #ops", StringComparison.Ordinal));
        await alice.SendAsync("/join #lobby");
        await alice.ExpectAsync("* #lobby is now your current room");
        var clients = (DynamicSupervisor)server.Host.Services.Names.WhereIs(ServiceNames.Clients)!;
        var workers = await ClientWorkersAsync(clients);
        var carolWorker = workers.Single(w => w.Nick == "carol");

        await carol.SendAsync("/crash");

        await carol.ExpectClosedAsync();
        var exit = await carolWorker.Completion.WaitAsync(s_wait);
        exit.Kind.Should().Be(ExitKind.Failure, "/crash crashes the worker");
        exit.Exception.Should().BeOfType<InjectedFaultException>();
        // Two rooms announce the quit each on its own: no order between them is promised.
        await alice.ExpectAllAsync("* carol left #lobby (quit: client error)", "* carol left #ops (quit: client error)");
        await bob.ExpectAsync(l => l.StartsWith("* carol left #lobby", StringComparison.Ordinal));

        await alice.SendAsync("still here after the crash");
        await bob.ExpectAsync("[#lobby] <alice> still here after the crash");
        await bob.SendAsync("me too");
        await alice.ExpectAsync("[#lobby] <bob> me too");
        (await alice.SyncAsync("alice-after")).Should().BeEmpty();
        (await bob.SyncAsync("bob-after")).Should().BeEmpty();

        await using var dave = await server.ConnectAsync("dave");
        await dave.SendAsync("hello, I just arrived");
        await alice.ExpectAsync("[#lobby] <dave> hello, I just arrived");
        await bob.ExpectAsync("[#lobby] <dave> hello, I just arrived");

        server.Host.Services.Names.WhereIs(ServiceNames.Clients).Should().BeSameAs(clients, "the client supervisor itself was not restarted");
        var rootChildren = await server.Host.Root.WhichChildrenAsync();
        rootChildren.Should().OnlyContain(c => c.RestartCount == 0 && c.State == ChildState.Running, "a client crash restarts nothing above it");
        var survivors = await ClientWorkersAsync(clients);
        survivors.Should().NotContain(carolWorker);
        survivors.Should().Contain(workers.Where(w => w.Nick is "alice" or "bob"), "the other clients' workers are the same, still running");
        survivors.Should().HaveCount(3, "alice, bob and dave are connected");
    }

    [Test]
    public async Task A_client_crash_does_not_stop_the_crashed_clients_rooms_from_serving_others()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.SendAsync("/join #side");
            await client.ExpectAsync(l => l.StartsWith("* you joined #side", StringComparison.Ordinal));
        }

        await carol.SendAsync("/crash");
        await carol.ExpectClosedAsync();
        await alice.ExpectAsync(l => l.StartsWith("* carol left #side", StringComparison.Ordinal));

        await alice.SendAsync("the room survived");
        await bob.ExpectAsync("[#side] <alice> the room survived");
        await bob.SendAsync("/who #side");
        await bob.ExpectAsync("* members of #side (2): @alice, bob");
    }

    private static async Task<List<ClientWorker>> ClientWorkersAsync(DynamicSupervisor clients) =>
        (await clients.WhichChildrenAsync()).Select(c => c.Process).OfType<ClientWorker>().ToList();
}
