using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

public class NickTests
{
    [Test]
    public async Task A_nick_change_is_confirmed_and_announced_in_every_shared_room()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectAsync("carol");
        await alice.CommandAsync("/join #dev");
        await bob.CommandAsync("/join #dev");

        await alice.SendAsync("/nick alicia");

        await alice.ExpectAsync("* you are now known as alicia");
        await bob.ExpectAllAsync("* alice is now known as alicia in #lobby", "* alice is now known as alicia in #dev");
        await carol.ExpectAsync("* alice is now known as alicia in #lobby");
        var carolSaw = await carol.SyncAsync();
        carolSaw.Should().NotContain(l => l.Contains("#dev", StringComparison.Ordinal));

        await alice.SendAsync("new name");
        await bob.ExpectAsync("[#dev] <alicia> new name");
        (await bob.CommandAsync("/who #lobby")).Should().Equal("* members of #lobby (3): alicia, bob, carol");
    }

    [Test]
    public async Task The_renamed_client_is_not_sent_its_own_room_announcement()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");

        var lines = await alice.CommandAsync("/nick alicia");

        lines.Should().Equal("* you are now known as alicia");
    }

    [TestCase("alice")]
    [TestCase("ALICE")]
    [TestCase("Alice")]
    public async Task A_nick_held_by_another_client_is_taken_whatever_its_case(string wanted)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        var lines = await bob.CommandAsync($"/nick {wanted}");

        lines.Should().Equal($"! nick {wanted} is taken");
        await bob.SendAsync("still bob");
        await alice.ExpectAsync("[#lobby] <bob> still bob");
        alice.Seen.Should().NotContain(l => l.StartsWith("* bob is now known as", StringComparison.Ordinal));
    }

    [Test]
    public async Task Asking_for_the_nick_you_have_says_so_and_announces_nothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await bob.SyncAsync();

        var lines = await alice.CommandAsync("/nick alice");

        lines.Should().Contain("* you are already alice");
        var bobSaw = await bob.SyncAsync();
        bobSaw.Should().NotContain(l => l.Contains("known as", StringComparison.Ordinal));
    }

    [Test]
    public async Task Changing_only_the_case_of_your_own_nick_is_allowed()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        var lines = await alice.CommandAsync("/nick Alice");

        lines.Should().Contain("* you are now known as Alice");
        await bob.ExpectAsync("* alice is now known as Alice in #lobby");
    }

    [Test]
    public async Task An_old_nick_is_free_for_others_after_a_change()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");

        await alice.CommandAsync("/nick alicia");
        var lines = await bob.CommandAsync("/nick alice");

        lines.Should().Contain("* you are now known as alice");
        (await bob.CommandAsync("/nick alicia")).Should().Contain("! nick alicia is taken");
    }

    [Test]
    public async Task A_nick_is_free_again_once_its_holder_disconnected()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        var alice = await server.ConnectAsync("alice");
        await alice.DisposeAsync();
        await bob.ExpectAsync(l => l.StartsWith("* alice left #lobby", StringComparison.Ordinal));

        // The registry learns of the exit through a monitor, a moment after the room does: ask until it has.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string answer;
        do
        {
            await bob.SendAsync("/nick alice");
            answer = await bob.ExpectAsync(l => l.StartsWith("! nick alice", StringComparison.Ordinal) || l.StartsWith("* you are now known as alice", StringComparison.Ordinal));
        }
        while (answer.StartsWith('!') && DateTime.UtcNow < deadline);

        answer.Should().Be("* you are now known as alice");
    }

    [Test]
    public async Task A_nick_of_exactly_20_characters_is_accepted()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();
        var nick = "abcdefghij0123456789";

        var lines = await alice.CommandAsync($"/nick {nick}");

        lines.Should().Equal($"* you are now known as {nick}");
        (await alice.CommandAsync("/who")).Should().Equal($"* members of #lobby (1): {nick}");
    }

    [TestCase("abcdefghij0123456789x")]
    [TestCase("")]
    [TestCase("two words")]
    [TestCase("star*")]
    [TestCase("[bracket")]
    [TestCase("bracket]")]
    [TestCase("<angle")]
    [TestCase("angle>")]
    [TestCase("bang!")]
    [TestCase("café")]
    [TestCase("日本")]
    [TestCase("#room")]
    public async Task An_invalid_nick_is_an_error_and_the_connection_stays(string nick)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync();
        var guest = alice.Nick;

        var lines = await alice.CommandAsync($"/nick {nick}");

        lines.Should().ContainSingle().Which.Should().StartWith("! ");
        (await alice.CommandAsync("/who")).Should().Equal($"* members of #lobby (1): {guest}");
    }
}
