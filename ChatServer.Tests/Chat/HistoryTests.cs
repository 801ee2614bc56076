using System.Text.RegularExpressions;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

public partial class HistoryTests
{
    [Test]
    public async Task A_newcomer_to_the_lobby_gets_the_last_messages_marked_with_their_time()
    {
        await using var server = await TestServer.StartAsync(o => o with { HistoryLength = 3 });
        await using var alice = await server.ConnectAsync("alice");
        for (var i = 1; i <= 5; i++)
        {
            await alice.SendAsync($"m{i}");
        }

        await alice.SyncAsync();

        await using var bob = await server.ConnectAsync();
        var history = await ReadHistoryAsync(bob, "#lobby");

        history.Should().HaveCount(3);
        history.Select(StripTime).Should().Equal("[#lobby] <alice> m3", "[#lobby] <alice> m4", "[#lobby] <alice> m5");
    }

    [Test]
    public async Task A_joiner_gets_the_room_history_before_any_live_message()
    {
        await using var server = await TestServer.StartAsync(o => o with { HistoryLength = 3 });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("/join #dev");
        await alice.SendAsync("first");
        await alice.SendAsync("/me thinks");
        await alice.SendAsync("second");
        await alice.SendAsync("third");
        await alice.SyncAsync();

        await bob.SendAsync("/join #dev");
        await bob.ExpectAsync("* you joined #dev (1 other here)");
        var history = await ReadHistoryAsync(bob, "#dev");
        await alice.ExpectAsync("* bob joined #dev");
        await alice.SendAsync("live now");
        var live = await bob.ExpectAsync(l => l.StartsWith("[#dev] ", StringComparison.Ordinal));

        history.Select(StripTime).Should().Equal("[#dev] * alice thinks", "[#dev] <alice> second", "[#dev] <alice> third");
        history[0].Should().MatchRegex(@"^\[#dev\] \([0-9]{2}:[0-9]{2}:[0-9]{2}\) \* alice thinks$");
        live.Should().Be("[#dev] <alice> live now");
    }

    [Test]
    public async Task History_keeps_only_messages_not_notices_and_defaults_to_20()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("/join #dev");
        await bob.CommandAsync("/join #dev");
        for (var i = 1; i <= 25; i++)
        {
            await alice.SendAsync($"n{i}");
        }

        await alice.CommandAsync("/nick alicia");
        await bob.CommandAsync("/part #dev");
        await alice.SyncAsync();

        await using var carol = await server.ConnectAsync("carol");
        await carol.SendAsync("/join #dev");
        var history = await ReadHistoryAsync(carol, "#dev");

        history.Select(StripTime).Should().Equal(Enumerable.Range(6, 20).Select(i => $"[#dev] <alice> n{i}"));
    }

    [Test]
    public async Task Messages_said_while_a_member_is_present_are_not_replayed_to_it_again()
    {
        await using var server = await TestServer.StartAsync(o => o with { HistoryLength = 3 });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.SendAsync("hello bob");
        await bob.ExpectAsync("[#lobby] <alice> hello bob");

        await bob.CommandAsync("/join #dev");
        var lines = await bob.CommandAsync("/join #lobby");

        lines.Should().Equal("* #lobby is now your current room");
    }

    [Test]
    public async Task A_room_without_history_replays_nothing()
    {
        await using var server = await TestServer.StartAsync(o => o with { HistoryLength = 0 });
        await using var alice = await server.ConnectAsync("alice");
        await alice.SendAsync("not kept");
        await alice.SyncAsync();

        await using var bob = await server.ConnectAsync();
        var bobSaw = await bob.SyncAsync();

        bobSaw.Should().BeEmpty();
    }

    /// <summary>Reads the replayed history of <paramref name="room"/>: the lines between its two markers.</summary>
    private static async Task<IReadOnlyList<string>> ReadHistoryAsync(ChatClient client, string room)
    {
        var header = await client.ExpectAsync(l => l.StartsWith("* last ", StringComparison.Ordinal) && l.EndsWith($" messages in {room}:", StringComparison.Ordinal));
        var lines = new List<string>();
        while (true)
        {
            var line = await client.ReadLineAsync() ?? throw new AssertionException($"closed inside the history of {room}");
            if (line == $"* end of history of {room}")
            {
                break;
            }

            line.Should().MatchRegex($@"^\[{Regex.Escape(room)}\] \([0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}\) ", "every history line is marked with its time");
            lines.Add(line);
        }

        header.Should().Be($"* last {lines.Count} messages in {room}:");
        return lines;
    }

    private static string StripTime(string line) => TimeMark().Replace(line, "", 1);

    [GeneratedRegex(@" \([0-9]{2}:[0-9]{2}:[0-9]{2}\)")]
    private static partial Regex TimeMark();
}
