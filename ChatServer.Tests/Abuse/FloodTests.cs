using System.Text;
using ChatServer.Clients;
using ChatServer.Hosting;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Abuse;

public class FloodTests
{
    private const string SlowDown = "! slow down";


    [Test]
    public async Task Lines_over_the_flood_burst_are_answered_slow_down_and_not_relayed()
    {
        // Protection: flood control (token bucket), excess lines dropped with "! slow down".
        await using var server = await TestServer.StartAsync(Limited, captureLogs: true);
        await using var observer = await server.ConnectAsync();
        await using var flooder = await server.ConnectAsync();
        await observer.ExpectAsync($"* {flooder.Nick} joined #lobby");

        await flooder.SendRawAsync(Burst(1, 8));

        for (var i = 0; i < 3; i++)
        {
            (await flooder.ReadLineAsync()).Should().Be(SlowDown, "lines 6 to 8 are over the burst of 5, each one is answered");
        }

        (await observer.SyncAsync()).Should().Equal(Relayed(flooder.Nick, 1, 5), "only the burst is relayed; the dropped lines never reach the room");
        server.Logs.WithId(ClientLogEvents.SlowDown).Should().ContainSingle("the first dropped line of a streak is logged").Which.Message.Should().Contain(flooder.Nick);
        server.Logs.WithId(ClientLogEvents.Flooding).Should().BeEmpty("three dropped lines are far from the kick threshold of 10");
    }

    [Test]
    public async Task A_client_that_keeps_flooding_is_disconnected_for_flooding_and_it_is_logged()
    {
        // Protection: flood kick, a client past FloodKick dropped lines in a row is cut off with a reason.
        await using var server = await TestServer.StartAsync(Limited, captureLogs: true);
        await using var observer = await server.ConnectAsync();
        await using var flooder = await server.ConnectAsync();
        await observer.ExpectAsync($"* {flooder.Nick} joined #lobby");
        var worker = await server.WorkerAsync(flooder.Nick);

        // 5 admitted, then 10 dropped in a row: the 10th reaches FloodKick.
        await flooder.SendRawAsync(Burst(1, 15));

        var lines = await flooder.ExpectClosedAsync();
        lines.Should().Equal([.. Enumerable.Repeat(SlowDown, 9), "! disconnected for flooding"]);
        await observer.ExpectAsync($"* {flooder.Nick} left #lobby (quit: flooding)");
        observer.Seen.Where(l => l.StartsWith($"[#lobby] <{flooder.Nick}> ", StringComparison.Ordinal))
            .Should().Equal(Relayed(flooder.Nick, 1, 5), "nothing past the burst was relayed");

        var exit = await worker.Completion.WaitAsync(TestServer.Wait);
        exit.Kind.Should().Be(ExitKind.Shutdown);
        exit.Detail.Should().Be("flooding");
        server.Logs.WithId(ClientLogEvents.SlowDown).Should().ContainSingle().Which.Message.Should().Contain(flooder.Nick);
        server.Logs.WithId(ClientLogEvents.Flooding).Should().ContainSingle().Which.Message.Should().Contain(flooder.Nick).And.Contain("10 lines dropped in a row");
        (await observer.SyncAsync()).Should().BeEmpty("the observer itself stayed within its burst");
    }

    [Test]
    public async Task Flood_rate_zero_turns_flood_control_off()
    {
        // Protection switch: FloodRate 0 disables flood control, hundreds of lines in one burst all pass.
        await using var server = await TestServer.StartAsync(o => Limited(o) with { FloodRate = 0 }, captureLogs: true);
        await using var observer = await server.ConnectAsync();
        await using var talker = await server.ConnectAsync();
        await observer.ExpectAsync($"* {talker.Nick} joined #lobby");

        await talker.SendRawAsync(Burst(1, 300));

        (await talker.SyncAsync()).Should().BeEmpty("no line is answered with slow down");
        (await observer.SyncAsync()).Should().Equal(Relayed(talker.Nick, 1, 300));
        server.Logs.WithId(ClientLogEvents.SlowDown).Should().BeEmpty();
        server.Logs.WithId(ClientLogEvents.Flooding).Should().BeEmpty();
    }

    [Test]
    public async Task Empty_lines_do_not_count_against_the_flood_burst()
    {
        // Protection detail: flood control counts only lines that do something; blank lines cost no token.
        await using var server = await TestServer.StartAsync(Limited, captureLogs: true);
        await using var observer = await server.ConnectAsync();
        await using var talker = await server.ConnectAsync();
        await observer.ExpectAsync($"* {talker.Nick} joined #lobby");

        var input = new StringBuilder();
        for (var i = 1; i <= 6; i++)
        {
            input.Append(string.Concat(Enumerable.Repeat("\n", 20))).Append("\r\n").Append("   \n").Append($"line {i}\n");
        }

        await talker.SendRawAsync(Encoding.UTF8.GetBytes(input.ToString()));

        (await talker.ReadLineAsync()).Should().Be(SlowDown, "the 6th non-empty line is the first over the burst; the 132 blank lines before it cost nothing");
        (await observer.SyncAsync()).Should().Equal(Relayed(talker.Nick, 1, 5));
    }

    // A rate this slow refills nothing during a test: exactly the burst is admitted.
    private static ChatServerOptions Limited(ChatServerOptions options) => options with { FloodBurst = 5, FloodRate = 0.01, FloodKick = 10 };

    private static byte[] Burst(int from, int to) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(from, to - from + 1).Select(i => $"line {i}\n")));

    private static List<string> Relayed(string nick, int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(i => $"[#lobby] <{nick}> line {i}").ToList();
}
