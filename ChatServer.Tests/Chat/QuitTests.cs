using System.Net.Sockets;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

public class QuitTests
{
    [Test]
    public async Task Quit_says_bye_closes_the_connection_and_is_announced_with_the_reason_in_every_room()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await alice.CommandAsync("/join #dev");
        await bob.CommandAsync("/join #dev");

        await alice.SendAsync("/quit gone fishing");

        await alice.ExpectAsync("* bye");
        (await alice.ExpectClosedAsync()).Should().BeEmpty();
        await bob.ExpectAllAsync("* alice left #lobby (quit: gone fishing)", "* alice left #dev (quit: gone fishing)");
        await carol.ExpectAsync("* alice left #lobby (quit: gone fishing)");
        (await bob.CommandAsync("/who")).Should().Equal("* members of #dev (1): bob");
        (await carol.CommandAsync("/who")).Should().Equal("* members of #lobby (2): bob, carol");
    }

    // A /quit answered after a barrier, with the peer closing at once (printf '/ping x\n/quit\n' | nc -q0):
    // the close reaches the worker before the quit is done, and must not become the quit's reason.
    [Test]
    public async Task A_quit_without_a_reason_followed_at_once_by_the_close_is_announced_as_a_plain_quit()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var alice = await server.ConnectAsync("alice");

        await alice.SendRawAsync("/ping x\n/quit\n"u8.ToArray());
        alice.Socket.Shutdown(SocketShutdown.Send);

        var left = await bob.ExpectAsync(l => l.StartsWith("* alice left #lobby", StringComparison.Ordinal));
        left.Should().Be("* alice left #lobby (quit)");
    }

    [Test]
    public async Task Quit_without_a_reason_is_announced_too()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendAsync("/quit");

        await alice.ExpectAsync("* bye");
        await alice.ExpectClosedAsync();
        var left = await bob.ExpectAsync(l => l.StartsWith("* alice left #lobby", StringComparison.Ordinal));
        left.Should().StartWith("* alice left #lobby (quit");
    }

    [Test]
    public async Task Lines_sent_before_quit_are_delivered()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendRawAsync("last words\n/quit\n"u8.ToArray());

        await alice.ExpectClosedAsync();
        await bob.ExpectAsync("[#lobby] <alice> last words");
        await bob.ExpectAsync(l => l.StartsWith("* alice left #lobby", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_ping_sent_with_quit_in_one_write_is_answered_before_bye()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");

        await alice.SendRawAsync("/ping before-quit\n/quit\n"u8.ToArray());

        (await alice.ExpectClosedAsync()).Should().Equal("* pong before-quit", "* bye");
    }

    [Test]
    public async Task A_ping_followed_by_closing_the_sending_side_is_still_answered()
    {
        // What `printf '/ping x\n' | nc -q 2 host port` does: send, half-close, keep reading.
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");

        await alice.SendAsync("/ping half-closed");
        alice.Socket.Shutdown(SocketShutdown.Send);

        (await alice.ExpectClosedAsync()).Should().Equal("* pong half-closed");
    }

    [Test]
    public async Task Lines_that_follow_quit_in_the_same_write_are_not_said()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.SendRawAsync("/quit\nafter quit\n"u8.ToArray());

        await alice.ExpectClosedAsync();
        await bob.ExpectAsync("* alice left #lobby (quit)");
        await bob.SyncAsync();
        bob.Seen.Should().NotContain(line => line.Contains("after quit", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_client_that_just_disconnects_is_announced_in_its_rooms()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        var alice = await server.ConnectAsync("alice");
        await alice.CommandAsync("/join #dev");
        await bob.CommandAsync("/join #dev");

        await alice.DisposeAsync();

        await bob.ExpectAllAsync("* alice left #lobby (quit: connection closed)", "* alice left #dev (quit: connection closed)");
        await carol.ExpectAsync("* alice left #lobby (quit: connection closed)");
        (await carol.CommandAsync("/who")).Should().Equal("* members of #lobby (2): bob, carol");
        (await bob.CommandAsync("/rooms")).Should().Equal("* rooms: #dev (1), #lobby (2)");
    }

    [Test]
    public async Task A_disconnect_in_the_middle_of_a_line_drops_only_that_partial_line()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        var alice = await server.ConnectAsync("alice");

        await alice.SendRawAsync("complete\nincompl"u8.ToArray());
        await alice.DisposeAsync();

        await bob.ExpectAsync("[#lobby] <alice> complete");
        await bob.ExpectAsync(l => l.StartsWith("* alice left #lobby", StringComparison.Ordinal));
        bob.Seen.Should().NotContain(l => l.Contains("incompl", StringComparison.Ordinal));
    }
}
