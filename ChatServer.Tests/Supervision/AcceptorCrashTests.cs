using ChatServer.Chat;
using ChatServer.Faults;
using ChatServer.Network;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Supervision;

public class AcceptorCrashTests
{
    private const int WaitingConnections = 20;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task A_crashed_acceptor_is_restarted_and_every_connection_waiting_in_the_backlog_is_served()
    {
        await using var server = await TestServer.StartAsync();
        var names = server.Host.Services.Names;
        var crashed = names.WhereIs(ServiceNames.Acceptor).Should().BeOfType<Acceptor>().Subject;

        server.Host.Faults.Crash(ServiceNames.Acceptor).Should().BeTrue("fault injection is on in the test server");
        // Opened right away, before the restart can be observed: these wait in the listener's backlog.
        var connecting = Enumerable.Range(0, WaitingConnections).Select(_ => ChatClient.ConnectRawAsync(server.Port)).ToList();
        await using var waiting = new ClientGroup();
        await waiting.AddAllAsync(connecting, s_wait);

        var exit = await crashed.Completion.WaitAsync(s_wait);
        exit.Kind.Should().Be(ExitKind.Failure);
        exit.Exception.Should().BeOfType<InjectedFaultException>();

        var nicks = new List<string>();
        foreach (var client in waiting)
        {
            nicks.Add(await client.ExpectGreetingAsync());
        }

        nicks.Should().HaveCount(WaitingConnections).And.OnlyHaveUniqueItems();

        // The old acceptor is gone, so only its successor can serve this one.
        await using var late = await server.ConnectAsync("late");
        var acceptor = (await server.Host.Root.WhichChildrenAsync()).Single(c => c.Id == ServiceNames.Acceptor);
        acceptor.State.Should().Be(ChildState.Running);
        acceptor.RestartCount.Should().Be(1, "the acceptor crashed once");
        acceptor.Process.Should().BeOfType<Acceptor>().And.NotBeSameAs(crashed);
        names.WhereIs(ServiceNames.Acceptor).Should().BeSameAs(acceptor.Process, "the new acceptor registered the name");

        await waiting[0].SendAsync("served after the acceptor restart");
        await late.ExpectAsync($"[#lobby] <{nicks[0]}> served after the acceptor restart");
        (await late.SyncAsync()).Should().NotContain(l => l.StartsWith("! ", StringComparison.Ordinal));
    }

    [Test]
    public async Task Clients_connected_before_an_acceptor_crash_are_not_disturbed_by_it()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        var crashed = (Acceptor)server.Host.Services.Names.WhereIs(ServiceNames.Acceptor)!;

        server.Host.Faults.Crash(ServiceNames.Acceptor).Should().BeTrue();
        await crashed.Completion.WaitAsync(s_wait);

        await alice.SendAsync("did you notice anything?");
        await bob.ExpectAsync("[#lobby] <alice> did you notice anything?");
        (await bob.SyncAsync()).Should().BeEmpty("the acceptor crash is not visible to connected clients");
        await using var carol = await server.ConnectAsync("carol");
        await alice.ExpectAsync(l => l.EndsWith(" is now known as carol in #lobby", StringComparison.Ordinal));
    }
}
