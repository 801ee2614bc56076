using ChatServer.Chat;
using ChatServer.Clients;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Supervision;

public class MaxClientsTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task A_connection_over_max_clients_is_told_the_server_is_full_and_closed()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxClients = 2 });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.SyncAsync("before");

        await using var third = await ChatClient.ConnectRawAsync(server.Port);

        var lines = await third.ExpectClosedAsync();
        lines.Should().Equal(["! server full"], "the refused connection gets exactly the refusal, then EOF");
        await alice.SendAsync("still two of us");
        await bob.ExpectAsync("[#lobby] <alice> still two of us");
        (await alice.SyncAsync()).Should().BeEmpty("the refused connection never joined #lobby");
    }

    [Test]
    public async Task After_one_of_max_clients_quits_a_new_connection_is_accepted()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxClients = 2 });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using (var refused = await ChatClient.ConnectRawAsync(server.Port))
        {
            (await refused.ExpectClosedAsync()).Should().Equal("! server full");
        }

        var clients = (DynamicSupervisor)server.Host.Services.Names.WhereIs(ServiceNames.Clients)!;
        var bobWorker = (await clients.WhichChildrenAsync()).Select(c => c.Process).OfType<ClientWorker>().Single(w => w.Nick == "bob");
        await bob.SendAsync("/quit bye all");
        await bob.ExpectAsync("* bye");
        await bob.ExpectClosedAsync();
        (await bobWorker.Completion.WaitAsync(s_wait)).Kind.Should().Be(ExitKind.Normal);
        await alice.ExpectAsync("* bob left #lobby (quit: bye all)");

        await using var carol = await server.ConnectAsync("carol");
        await alice.ExpectAsync(l => l.EndsWith(" is now known as carol in #lobby", StringComparison.Ordinal));
        await carol.SendAsync("I got in");
        await alice.ExpectAsync("[#lobby] <carol> I got in");

        await using var fourth = await ChatClient.ConnectRawAsync(server.Port);
        (await fourth.ExpectClosedAsync()).Should().Equal(["! server full"], "alice and carol fill the server again");
    }
}
