using ChatServer.Tests.Support;

namespace ChatServer.Tests;

public class ConversationTests
{
    [Test]
    public async Task A_line_reaches_every_other_member_of_the_room_and_is_not_echoed()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");

        await alice.SendAsync("hello everyone");

        await bob.ExpectAsync("[#lobby] <alice> hello everyone");
        await carol.ExpectAsync("[#lobby] <alice> hello everyone");
        var aliceSaw = await alice.SyncAsync();
        aliceSaw.Should().NotContain(l => l.Contains("hello everyone"));
    }
}
