namespace ChatServer.Tests.Processes;

public class NetcatTests
{
    [Test]
    public async Task Two_nc_processes_chat_through_the_built_server()
    {
        var (server, port) = await ServerProcess.StartAsync();
        await using var _ = server;
        await using var alice = await LineTools.ConnectNetcatAsync(port);
        await using var bob = await LineTools.ConnectNetcatAsync(port);
        await LineTools.NickAsync(alice, "alice");
        await LineTools.NickAsync(bob, "bob");

        await alice.SendLineAsync("hello from one nc to another");

        await bob.ExpectLineAsync("[#lobby] <alice> hello from one nc to another");
        await bob.SendLineAsync("hi alice, nc here too");
        await alice.ExpectLineAsync("[#lobby] <bob> hi alice, nc here too");
        await alice.SendLineAsync("/ping done");
        await alice.ExpectLineAsync("* pong done");
        alice.Stdout.Should().NotContain(l => l.Contains("hello from one nc to another", StringComparison.Ordinal), "no echo to the sender");
    }

    [Test]
    public async Task Sigterm_tells_nc_clients_the_server_is_shutting_down_and_the_server_exits_0()
    {
        var (server, port) = await ServerProcess.StartAsync();
        await using var _ = server;
        await using var alice = await LineTools.ConnectNetcatAsync(port);
        await using var bob = await LineTools.ConnectNetcatAsync(port);
        await LineTools.NickAsync(alice, "alice");
        await alice.SendLineAsync("said before the signal");
        await bob.ExpectLineAsync("[#lobby] <alice> said before the signal");

        await server.TerminateAsync();

        await alice.ExpectLineAsync("* server shutting down");
        await bob.ExpectLineAsync("* server shutting down");
        var exitCode = await server.WaitForExitAsync();
        exitCode.Should().Be(0, $"SIGTERM is a graceful stop; {server.Transcript()}");
    }
}
