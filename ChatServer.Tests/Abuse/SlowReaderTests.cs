using System.Net.Sockets;
using System.Text;
using ChatServer.Clients;
using ChatServer.Hosting;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Abuse;

public class SlowReaderTests
{
    private const string Left = "(quit: send queue exceeded)";

    // Lines of about 1 KB: a batch of 32 stays under every send queue limit used here, so the reading member is never at risk.
    private const int Batch = 32;
    private static readonly string s_payload = new('x', 1000);

    // The kernel buffers of the non-reader's connection hold a few MB before its send queue grows; far more than that means no limit.
    private const int MaxLines = 16_000;

    [Test]
    public async Task A_client_that_does_not_read_is_disconnected_at_the_send_queue_byte_limit_and_the_others_lose_nothing()
    {
        // Protection: sendq in bytes (MaxSendQueueBytes), a non-reader is cut off, logged, and nobody else waits or loses a line.
        await using var server = await TestServer.StartAsync(o => Fast(o) with { MaxSendQueueBytes = 64 * 1024 }, captureLogs: true);
        var outcome = await FloodANonReaderAsync(server);

        var log = server.Logs.WithId(ClientLogEvents.SendQueueExceeded).Should().ContainSingle("the send queue limit fired once, for the non-reader").Subject;
        log.Message.Should().Contain(outcome.NonReader);
        QueuedBytes(log.Message).Should().BeGreaterThan(64 * 1024).And.BeLessThan(64 * 1024 + 2 * 1024, "cut off at the first line over 64 KiB");
    }

    [Test]
    public async Task A_client_that_does_not_read_is_disconnected_at_the_send_queue_line_limit()
    {
        // Protection: sendq in lines (MaxSendQueueLines), 100 queued lines of 1 KB are far under the 1 MiB byte limit.
        await using var server = await TestServer.StartAsync(o => Fast(o) with { MaxSendQueueLines = 100 }, captureLogs: true);
        var outcome = await FloodANonReaderAsync(server);

        // The line limit shows in the send queue (event 103), or, if the worker fell behind, in its bounded mailbox (lines too).
        foreach (var log in server.Logs.WithId(ClientLogEvents.SendQueueExceeded))
        {
            TestContext.Out.WriteLine(log.Message);
            log.Message.Should().Contain(outcome.NonReader).And.Contain("101 lines queued");
            QueuedBytes(log.Message).Should().BeLessThan(1024 * 1024);
        }
    }

    private sealed record Outcome(string NonReader, int LinesSent);

    /// <summary>
    /// A room of a sender, a reading member and a member that never reads (with a tiny receive buffer):
    /// the sender talks in batches of long lines until the room announces the non-reader left for its
    /// send queue. Asserts that the reader got every line in order, the sender's pings were answered
    /// throughout, and the non-reader's worker ended and its socket was closed.
    /// </summary>
    private static async Task<Outcome> FloodANonReaderAsync(TestServer server)
    {
        await using var reader = await server.ConnectAsync("reader");
        await using var sender = await server.ConnectAsync("sender");
        await reader.SyncAsync("joined");

        // Without Nagle, each batch's ping leaves at once instead of after a delayed ACK.
        sender.Socket.NoDelay = true;
        reader.Socket.NoDelay = true;
        await using var nonReader = await ChatClient.ConnectRawAsync(server.Port, receiveBuffer: 1024, wait: TestServer.Wait);
        var joined = await reader.ExpectAsync(l => l.EndsWith(" joined #lobby", StringComparison.Ordinal));
        var nick = joined["* ".Length..^" joined #lobby".Length];
        await sender.ExpectAsync(joined);
        var worker = await server.WorkerAsync(nick);
        var leftLine = $"* {nick} left #lobby {Left}";

        var sent = 0;
        var relayed = 0;
        var gone = false;
        while (!gone)
        {
            sent.Should().BeLessThan(MaxLines, $"the non-reader should have been cut off long before {MaxLines} lines of 1 KB");
            var batch = new StringBuilder();
            for (var i = 0; i < Batch; i++)
            {
                batch.Append(Text(sent + i)).Append('\n');
            }

            await sender.SendRawAsync(Encoding.UTF8.GetBytes(batch.ToString()));
            sent += Batch;

            // The reader drains the whole batch before the next one: every line, in order.
            while (relayed < sent)
            {
                var line = await reader.ReadLineAsync() ?? throw new AssertionException($"the reader was disconnected after {relayed} lines");
                if (line == leftLine)
                {
                    gone = true;
                }
                else
                {
                    line.Should().Be($"[#lobby] <sender> {Text(relayed)}", "the reader gets every line, in order");
                    relayed++;
                }
            }

            // The sender is never held up by the non-reader: its ping through the room is answered every batch.
            var answered = await sender.SyncAsync($"batch{sent}");
            answered.Should().NotContain(l => l != leftLine, "the sender hears nothing but, at some point, the non-reader leaving");
            gone |= answered.Contains(leftLine);
        }

        TestContext.Out.WriteLine($"the non-reader was cut off after {sent} lines of about 1 KB");
        if (!reader.Seen.Contains(leftLine))
        {
            await reader.ExpectAsync(leftLine);
        }

        var exit = await worker.Completion.WaitAsync(TestServer.Wait);
        exit.Kind.Should().Be(ExitKind.Shutdown);
        exit.Detail.Should().Be("send queue exceeded");
        server.Logs.WithId(ClientLogEvents.Disconnected).Should().ContainSingle(e => e.Message.Contains(nick, StringComparison.Ordinal))
            .Which.Message.Should().EndWith(": send queue exceeded", "the disconnect is logged with its reason");

        // The server closed the non-reader's connection: what the kernel holds drains, then end of stream (or a reset).
        (await DrainToEndAsync(nonReader.Socket)).Should().BeTrue("the server closes the non-reader's socket");

        // The room goes on at full speed for the others.
        await sender.SendAsync("after the non-reader left");
        await reader.ExpectAsync("[#lobby] <sender> after the non-reader left");
        (await reader.SyncAsync("end")).Should().BeEmpty();
        return new Outcome(nick, sent);
    }

    // The cut-off client's blocked socket is closed after this; the default 2 s only makes the test slower.
    private static ChatServerOptions Fast(ChatServerOptions options) => options with { ShutdownFlushTimeout = TimeSpan.FromMilliseconds(500) };

    private static string Text(int n) => $"{n:D6} {s_payload}";

    private static long QueuedBytes(string message)
    {
        var start = message.IndexOf('(', StringComparison.Ordinal) + 1;
        return long.Parse(message[start..message.IndexOf(" bytes", start, StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads the socket to its end; false if it is still open after the wait.</summary>
    private static async Task<bool> DrainToEndAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TestServer.Wait);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
