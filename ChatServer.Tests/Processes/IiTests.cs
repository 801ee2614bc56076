using ChatServer.Tests.Support;

namespace ChatServer.Tests.Processes;

/// <summary>
/// The real <c>ii</c> IRC client (Debian package <c>ii</c>; CI installs it) against the in-process server's
/// IRC port, meeting a line user and an IRC socket client in #lobby. ii is driven through its FIFOs and
/// read back from its <c>out</c> files (<see cref="IiClient"/>).
/// </summary>
public class IiTests
{
    private const string FromIi = "hello from ii, a real IRC client ✓";

    // Threat: a real IRC client that registers, joins and talks the plain way (no CAP, no tags) not getting
    // through to line users and IRC users, or not getting their lines, or its leaving going unannounced.
    [Test]
    public async Task Ii_joins_lobby_talks_with_a_line_user_and_an_irc_user_and_leaves()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var carol = await server.ConnectIrcAsync("carol");
        await carol.CommandAsync("JOIN #lobby");
        await bob.ExpectAsync("* carol joined #lobby");
        await using var ii = await IiClient.StartAsync(server.IrcPort, "iiuser");

        await ii.CommandAsync("/j #lobby");

        await ii.ExpectLineAsync("#lobby", IsJoin("iiuser"), "\"-!- iiuser(...) has joined #lobby\"");
        await bob.ExpectAsync("* iiuser joined #lobby", IiClient.Wait);
        (await carol.ExpectAsync("JOIN")).SourceNick.Should().Be("iiuser");

        await ii.WriteAsync("#lobby", FromIi);

        await bob.ExpectAsync($"[#lobby] <iiuser> {FromIi}", IiClient.Wait);
        var relayed = await carol.ExpectAsync("PRIVMSG");
        relayed.SourceNick.Should().Be("iiuser");
        relayed.Params.Should().Equal("#lobby", FromIi);

        await bob.SendAsync("hi ii, bob here on nc ✓");
        await carol.SendAsync("PRIVMSG #lobby :hi ii, carol here on irc");

        await ii.ExpectLineAsync("#lobby", "<bob> hi ii, bob here on nc ✓");
        await ii.ExpectLineAsync("#lobby", "<carol> hi ii, carol here on irc");
        ii.Lines("#lobby").Should().Contain($"<iiuser> {FromIi}", "ii writes what it says to its out file itself (the server does not echo it)");

        await ii.WriteAsync("#lobby", "/l off to lunch");

        await bob.ExpectAsync("* iiuser left #lobby (off to lunch)", IiClient.Wait);
        var part = await carol.ExpectAsync("PART");
        part.SourceNick.Should().Be("iiuser");
        part.Params.Should().Equal("#lobby", "off to lunch");
        await ii.WaitUntilAsync(() => !File.Exists(ii.InPath("#lobby")), "#lobby's in FIFO removed by ii after /l");

        await ii.CommandAsync("/q done for today");

        (await ii.WaitForExitAsync()).Should().Be(0, ii.Transcript());
        File.Exists(ii.InPath()).Should().BeFalse("ii removes its FIFOs when it quits");
        File.Exists(ii.OutPath("#lobby")).Should().BeTrue("ii keeps its out files");
    }

    // Threat: joins and parts of line users not reaching an IRC client in the form it parses (ii prints them only
    // from well-formed JOIN and PART lines, under the nick of the moment), or an IRC client's QUIT not reaching line users.
    [Test]
    public async Task Ii_sees_a_line_user_come_and_go_under_its_new_nick_and_its_quit_reaches_the_line_users()
    {
        await using var server = await TestServer.StartAsync();
        await using var bob = await server.ConnectAsync("bob");
        await using var ii = await IiClient.StartAsync(server.IrcPort, "iiuser");
        await ii.CommandAsync("/j #lobby");
        await bob.ExpectAsync("* iiuser joined #lobby", IiClient.Wait);

        await using var dave = await server.ConnectAsync();
        var guest = dave.Nick;
        await dave.SendAsync("/nick dave");
        await dave.ExpectAsync("* you are now known as dave");
        await dave.SendAsync("/part");
        await dave.ExpectAsync("* you left #lobby");

        await ii.ExpectLineAsync("#lobby", IsJoin(guest), $"\"-!- {guest}(...) has joined #lobby\"");
        await ii.ExpectLineAsync(
            "#lobby",
            l => l.StartsWith("-!- dave(", StringComparison.Ordinal) && l.EndsWith(") has left #lobby", StringComparison.Ordinal),
            "\"-!- dave(...) has left #lobby\"");

        await ii.CommandAsync("/q gone fishing");

        await bob.ExpectAsync("* iiuser left #lobby (quit: gone fishing)", IiClient.Wait);
        (await ii.WaitForExitAsync()).Should().Be(0, ii.Transcript());
    }

    [Test]
    public async Task Without_ii_installed_the_test_fails_saying_how_to_install_it()
    {
        var start = () => IiClient.StartAsync(6667, "iiuser", "ii-not-installed");

        (await start.Should().ThrowAsync<AssertionException>())
            .Which.Message.Should().Contain("apt-get install -y ii");
    }

    private static Func<string, bool> IsJoin(string nick) =>
        l => l.StartsWith($"-!- {nick}(", StringComparison.Ordinal) && l.EndsWith(") has joined #lobby", StringComparison.Ordinal);
}
