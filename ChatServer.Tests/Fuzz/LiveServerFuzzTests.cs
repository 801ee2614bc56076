using ChatServer.Tests.BadInput;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Fuzz;

public class LiveServerFuzzTests
{
    private const int Fuzzers = 3;
    private const int ChunksPerFuzzer = 200;
    private const int MaxChunkBytes = 512;

    // Threat: random bytes from several clients at once take the server down or reach another member's terminal as control characters or 0xFF.
    [Test]
    public async Task Random_bytes_from_several_clients_never_reach_an_observer_raw_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();
        await using var observer = await server.ConnectAsync("observer");
        await using var fuzzers = new ClientGroup();
        for (var i = 0; i < Fuzzers; i++)
        {
            var fuzzer = await server.ConnectAsync($"fuzz{i}");
            await fuzzer.SyncAsync("ready");
            fuzzers.Add(fuzzer);
        }

        await observer.ExpectAsync(l => l.EndsWith($" is now known as fuzz{Fuzzers - 1} in #lobby", StringComparison.Ordinal));

        await Task.WhenAll(fuzzers.Select((fuzzer, i) => Task.Run(() => FuzzAsync(fuzzer, i))));

        await observer.SyncAsync("after");
        await using var fresh = await server.ConnectAsync("fresh");
        await fresh.SendAsync("a normal line after the fuzz");
        await observer.ExpectAsync("[#lobby] <fresh> a normal line after the fuzz");

        observer.Raw.Received.Should().NotContain(0xFF);
        SafeText.ShouldAllBeSafe(observer.Raw.LineBytes);
        observer.Raw.Lines.Count(l => l.StartsWith("[#lobby] <fuzz", StringComparison.Ordinal)).Should().BeGreaterThan(100, "the fuzz must get lines through to be a test of what is relayed");
    }

    private static async Task FuzzAsync(ChatClient fuzzer, int index)
    {
        var random = new Random(1000 + index);
        for (var n = 0; n < ChunksPerFuzzer; n++)
        {
            await fuzzer.SendRawAsync(RandomInput.Next(random, random.Next(0, MaxChunkBytes + 1)));
        }

        // Whatever state the fuzz left the telnet filter and the framer in, IAC SE twice and a newline end it.
        await fuzzer.SendRawAsync([0xFF, 0xF0, 0xFF, 0xF0, (byte)'\n']);
        await fuzzer.SendAsync($"/ping done{index}");
        await fuzzer.ExpectAsync(l => l.EndsWith($"* pong done{index}", StringComparison.Ordinal));
    }
}
