using ChatServer.Hosting;
using ChatServer.Protocol;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

public class GreetingTests
{
    [Test]
    public async Task The_first_client_is_greeted_with_a_guest_nick_an_empty_lobby_and_a_pointer_to_help()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = await server.ConnectAsync();

        first.Nick.Should().Be("guest1");
        first.Seen.Should().Equal(
            "* welcome to SupervisedChat, you are guest1",
            "* you are in #lobby with 0 others",
            $"* topic of #lobby: {ChatServerOptions.Defaults.LobbyTopic}",
            "* type /help for commands");
    }

    [Test]
    public async Task The_lobby_topic_comes_from_the_options_and_an_empty_one_shows_no_topic_line()
    {
        await using var server = await TestServer.StartAsync(o => o with { LobbyTopic = "be nice" });
        await using var first = await server.ConnectAsync();
        first.Seen.Should().Contain("* topic of #lobby: be nice");
        (await first.CommandAsync("/topic")).Should().Equal("* topic of #lobby: be nice");

        await using var bare = await TestServer.StartAsync(o => o with { LobbyTopic = "" });
        await using var second = await bare.ConnectAsync();
        second.Seen.Should().Equal(
            "* welcome to SupervisedChat, you are guest1",
            "* you are in #lobby with 0 others",
            "* type /help for commands");
        (await second.CommandAsync("/topic")).Should().Equal("* #lobby has no topic");
    }

    [Test]
    public async Task Later_clients_get_fresh_guest_nicks_and_the_right_count_of_others()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        await using var third = await server.ConnectAsync();

        second.Nick.Should().Be("guest2");
        second.Seen.Should().Contain("* you are in #lobby with 1 other");
        third.Nick.Should().Be("guest3");
        third.Seen.Should().Contain("* you are in #lobby with 2 others");
        new[] { first.Nick, second.Nick, third.Nick }.Should().OnlyHaveUniqueItems();
    }

    [Test]
    public async Task The_lobby_members_are_told_of_a_newcomer()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var newcomer = await server.ConnectAsync();

        await alice.ExpectAsync($"* {newcomer.Nick} joined #lobby");
        var newcomerSaw = await newcomer.SyncAsync();
        newcomerSaw.Should().NotContain(l => l.Contains("joined", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_guest_nick_already_taken_by_someone_else_is_skipped()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("guest2");
        await using var next = await server.ConnectAsync();

        next.Nick.Should().MatchRegex("^guest[0-9]+$").And.NotBe("guest2");
    }

    [Test]
    public async Task Help_lists_the_commands_as_notices()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();

        var lines = await alice.CommandAsync("/help");

        lines.Should().Equal(ServerLines.HelpText);
        lines.Should().Contain(l => l.Contains("/msg NICK TEXT", StringComparison.Ordinal));
    }
}
