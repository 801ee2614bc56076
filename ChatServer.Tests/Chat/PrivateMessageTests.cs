using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

public class PrivateMessageTests
{
    [Test]
    public async Task A_private_message_reaches_only_its_target()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");

        await alice.SendAsync("/msg bob meet me at noon");
        var aliceSaw = await alice.SyncAsync();

        await bob.ExpectAsync("[pm] <alice> meet me at noon");
        var carolSaw = await carol.SyncAsync();
        carolSaw.Should().NotContain(l => l.Contains("noon", StringComparison.Ordinal));
        aliceSaw.Should().NotContain(l => l.Contains("noon", StringComparison.Ordinal) || l.StartsWith("! ", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_private_message_finds_its_target_case_insensitively_and_in_any_room()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await bob.CommandAsync("/join #hideout");
        await bob.CommandAsync("/part #lobby");

        await alice.SendAsync("/msg BOB where are you?");

        await bob.ExpectAsync("[pm] <alice> where are you?");
    }

    [Test]
    public async Task A_client_in_no_room_can_still_send_and_receive_private_messages()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("/part");

        await alice.SendAsync("/msg bob from nowhere");
        await bob.ExpectAsync("[pm] <alice> from nowhere");
        await bob.SendAsync("/msg alice got it");
        await alice.ExpectAsync("[pm] <bob> got it");
    }

    [Test]
    public async Task A_private_message_to_an_unknown_nick_is_an_error()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");

        (await alice.CommandAsync("/msg zed hello?")).Should().Equal("! no such nick zed");
    }

    [Test]
    public async Task A_private_message_to_a_client_that_left_is_an_error()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        var bob = await server.ConnectAsync("bob");
        await bob.SendAsync("/quit");
        await bob.ExpectClosedAsync();
        await bob.DisposeAsync();
        await alice.ExpectAsync(l => l.StartsWith("* bob left #lobby", StringComparison.Ordinal));

        var lines = await alice.CommandAsync("/msg bob are you there");

        lines.Should().Equal("! no such nick bob");
    }

    [TestCase("/msg", "! usage: /msg NICK TEXT")]
    [TestCase("/msg bob", "! usage: /msg NICK TEXT")]
    [TestCase("/msg bob   ", "! usage: /msg NICK TEXT")]
    [TestCase("/msg b*b hi", "! invalid nick: b*b")]
    public async Task A_malformed_private_message_is_a_usage_error(string line, string error)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        (await alice.CommandAsync(line)).Should().Equal(error);
        var bobSaw = await bob.SyncAsync();
        bobSaw.Should().NotContain(l => l.StartsWith("[pm]", StringComparison.Ordinal));
    }
}
