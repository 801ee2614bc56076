using System.Text;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Irc;

/// <summary>The chat port's protections in IRC's manner: delayed (not dropped) excess commands, Excess Flood, registration timeout, keepalive pings.</summary>
public class IrcLimitsTests
{
    [Test]
    public async Task Commands_beyond_the_flood_rate_are_delayed_in_order_not_dropped()
    {
        await using var server = await TestServer.StartAsync(options => options with { FloodBurst = 3, FloodRate = 20, FloodKick = 100 });
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await server.ConnectIrcAsync("alice");
        await alice.SendAsync("JOIN #lobby");

        var burst = string.Concat(Enumerable.Range(1, 12).Select(i => $"PRIVMSG #lobby :line {i}\r\n"));
        await alice.Connection.SendRawAsync(Encoding.UTF8.GetBytes(burst));

        for (var i = 1; i <= 12; i++)
        {
            await bob.ExpectAsync($"[#lobby] <alice> line {i}");
        }

        (await alice.SyncAsync()).Should().NotContain(reply => reply.Command == "NOTICE" || reply.Command == "ERROR", "nothing was dropped");
    }

    [Test]
    public async Task A_client_that_keeps_flooding_is_closed_with_excess_flood()
    {
        await using var server = await TestServer.StartAsync(options => options with { FloodBurst = 2, FloodRate = 5, FloodKick = 10 });
        await using var alice = await server.ConnectIrcAsync("alice");

        var flood = string.Concat(Enumerable.Range(1, 50).Select(i => $"PRIVMSG alice :flood {i}\r\n"));
        await alice.Connection.SendRawAsync(Encoding.UTF8.GetBytes(flood));

        (await alice.Connection.ExpectClosedAsync()).Should().Contain("ERROR :Excess Flood");
    }

    [Test]
    public async Task A_connection_that_never_registers_is_closed()
    {
        await using var server = await TestServer.StartAsync(options => options with { IrcRegistrationTimeout = TimeSpan.FromSeconds(1) });
        await using var idle = await IrcClient.ConnectAsync(server.IrcPort);
        await idle.SendAsync("NICK idle");

        (await idle.Connection.ExpectClosedAsync()).Should().Contain("ERROR :Closing link: registration timed out");
    }

    [Test]
    public async Task A_silent_client_is_pinged_kept_when_it_answers_and_closed_when_it_does_not()
    {
        await using var server = await TestServer.StartAsync(options => options with { IrcPingInterval = TimeSpan.FromSeconds(1) });
        await using var alice = await server.ConnectIrcAsync("alice");

        var ping = await alice.ExpectAsync("PING");
        await alice.SendAsync($"PONG :{ping.Trailing}");
        await alice.ExpectAsync("PING");

        (await alice.Connection.ExpectClosedAsync()).Should().Contain(line => line.StartsWith("ERROR :Ping timeout", StringComparison.Ordinal));
    }

    [Test]
    public async Task Irc_and_line_connections_count_against_one_per_address_limit()
    {
        await using var server = await TestServer.StartAsync(options => options with { MaxPerIp = 2 });
        await using var line = await server.ConnectAsync("bob");
        await using var irc = await server.ConnectIrcAsync("alice");

        await using var third = await IrcClient.ConnectAsync(server.IrcPort);

        (await third.Connection.ExpectClosedAsync()).Should().ContainSingle(l => l.StartsWith("ERROR :", StringComparison.Ordinal));
    }
}
