using ChatServer.Chat;
using ChatServer.Faults;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Chaos;

/// <summary>A client worker that crashes or is killed costs its own connection and nothing else.</summary>
public class ClientFaultTests
{
    [TestCase(false, "quit: client error", TestName = "A_client_crash_closes_only_its_socket_and_its_rooms_say_it_left")]
    [TestCase(true, "connection lost", TestName = "A_client_kill_closes_only_its_socket_and_its_rooms_say_it_left")]
    public async Task A_client_fault_closes_only_its_socket_and_its_rooms_say_it_left(bool kill, string why)
    {
        await using var server = await TestServer.StartAsync();
        await using var clients = await server.ConnectAllAsync("alice", "bob", "carol");
        var (alice, bob, carol) = (clients["alice"], clients["bob"], clients["carol"]);
        await alice.JoinAsync("#side");
        await carol.JoinAsync("#side");
        await clients.SyncAllAsync();
        var workers = await server.Host.ClientWorkersAsync();
        var victim = workers.Single(w => w.Nick == "carol");

        if (kill)
        {
            victim.Kill();
        }
        else
        {
            (await server.Host.Faults.CrashClientAsync("carol")).Should().BeTrue();
        }

        await carol.ExpectClosedAsync();
        var exit = await victim.Completion.WaitAsync(ChaosTools.Wait);
        exit.Kind.Should().Be(kill ? ExitKind.Killed : ExitKind.Failure);
        if (!kill)
        {
            exit.Exception.Should().BeOfType<InjectedFaultException>();
        }

        await alice.ExpectAllAsync($"* carol left #side ({why})", $"* carol left #lobby ({why})");
        await bob.ExpectAsync($"* carol left #lobby ({why})");

        await alice.SendAsync("/join #lobby");
        await alice.ExpectAsync("* #lobby is now your current room");
        await alice.SendAsync("still here");
        await bob.ExpectAsync("[#lobby] <alice> still here");
        (await alice.SyncAsync()).Should().BeEmpty();
        (await bob.SyncAsync()).Should().BeEmpty();

        var survivors = await server.Host.ClientWorkersAsync();
        survivors.Should().BeEquivalentTo(workers.Where(w => w != victim), "the other workers are the same and still running");
        var presence = server.Host.Service<Presence>(ServiceNames.Presence);
        (await presence.FindAsync("carol")).Should().BeNull("the lost client's nick is released");
        (await presence.CountAsync()).Should().Be(2);
        (await server.Host.Root.WhichChildrenAsync()).Should().OnlyContain(c => c.RestartCount == 0, "a client is temporary: nothing restarts");

        await using var again = await server.ConnectAsync("carol");
        await again.SendAsync("I am back");
        await alice.ExpectAsync("[#lobby] <carol> I am back");
    }
}
