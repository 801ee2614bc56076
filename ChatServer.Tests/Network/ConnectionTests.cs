using System.Net;
using System.Net.Sockets;
using ChatServer.Network;

namespace ChatServer.Tests.Network;

public class ConnectionTests
{
    [Test]
    public async Task What_is_written_across_several_blocks_arrives_whole_and_in_order_and_the_queue_ends_empty()
    {
        var (connection, peer) = await ConnectAsync(new SendQueueLimits(1 << 20, 10_000));
        using var _ = peer;
        var expected = new List<byte>();
        for (var i = 0; i < 500; i++)
        {
            var line = System.Text.Encoding.UTF8.GetBytes($"line {i} {new string('x', i % 40)}\n");
            connection.Output.Write(line).Should().BeTrue();
            expected.AddRange(line);
        }

        var drained = await connection.Output.DrainAsync(TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);

        drained.Should().BeTrue();
        (await ReadExactlyAsync(peer, expected.Count)).Should().Equal(expected);
        connection.Output.QueuedBytes.Should().Be(0);
        connection.Output.QueuedLines.Should().Be(0);
        connection.Close();
    }

    [Test]
    public async Task Megabytes_queued_for_a_peer_that_reads_in_small_pieces_arrive_whole_and_in_order()
    {
        // Far more than a gathered send of 8 blocks and than the socket buffers: sends that take part of a
        // gathered block, waits for the peer, and sends resumed in the middle of a block, all in one stream.
        var (connection, peer) = await ConnectAsync(new SendQueueLimits(64 << 20, 1_000_000));
        using var _ = peer;
        var expected = new List<byte>();
        for (var i = 0; i < 60_000; i++)
        {
            var line = System.Text.Encoding.UTF8.GetBytes($"line {i} {new string((char)('a' + (i % 26)), i % 61)}\n");
            connection.Output.Write(line).Should().BeTrue();
            expected.AddRange(line);
            if (i % 997 == 0)
            {
                connection.Output.Flush();
            }
        }

        var received = ReadExactlyAsync(peer, expected.Count, pieceSize: 1000);
        var drained = await connection.Output.DrainAsync(TimeSpan.FromSeconds(60), TimeProvider.System, CancellationToken.None);

        drained.Should().BeTrue();
        (await received).Should().Equal(expected);
        connection.Output.QueuedBytes.Should().Be(0);
        connection.Output.QueuedLines.Should().Be(0);
        connection.Close();
    }

    [Test]
    public async Task A_write_past_the_byte_or_line_limit_is_refused_and_queues_nothing()
    {
        var (connection, peer) = await ConnectAsync(new SendQueueLimits(MaxBytes: 100, MaxLines: 2));
        using var _ = peer;

        connection.Output.Write(Line(60)).Should().BeTrue();
        connection.Output.Write(Line(60)).Should().BeFalse("160 bytes would pass the byte limit");
        connection.Output.Write(Line(10)).Should().BeTrue();
        connection.Output.Write(Line(1)).Should().BeFalse("a third line would pass the line limit");

        connection.Output.QueuedBytes.Should().Be(70);
        connection.Output.QueuedLines.Should().Be(2);
        connection.Close();
    }

    [Test]
    public async Task After_a_seal_writes_are_dropped_and_what_was_queued_before_is_still_sent()
    {
        var (connection, peer) = await ConnectAsync(new SendQueueLimits(1 << 20, 10_000));
        using var _ = peer;
        connection.Output.Write("before\n"u8).Should().BeTrue();

        connection.Output.Seal();
        connection.Output.Write("after\n"u8).Should().BeTrue("a sealed queue drops writes without refusing them");
        (await connection.Output.DrainAsync(TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None)).Should().BeTrue();
        connection.Close();

        var received = new List<byte>();
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int n;
        while ((n = await peer.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        received.Should().Equal("before\n"u8.ToArray());
    }

    [Test]
    public async Task A_peer_that_does_not_read_fills_the_queue_and_drain_gives_up_after_its_timeout()
    {
        var (connection, peer) = await ConnectAsync(new SendQueueLimits(64 << 20, 1_000_000));
        using var _ = peer;
        var chunk = new byte[BlockPool.BlockSize];
        for (var i = 0; i < 4096; i++)
        {
            // 16 MiB: more than loopback's socket buffers hold, so the rest stays queued.
            connection.Output.Write(chunk);
        }

        var drained = await connection.Output.DrainAsync(TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None);

        drained.Should().BeFalse();
        connection.Output.QueuedBytes.Should().BePositive();
        connection.Close();
        connection.Output.QueuedBytes.Should().Be(0, "closing drops what is queued");
    }

    [Test]
    public async Task A_connection_over_any_duplex_stream_receives_after_a_zero_byte_wait_and_sends_its_queue()
    {
        var (accepted, client) = await SocketPairAsync();
        using var _ = client;
        var connection = new StreamConnection(new NetworkStream(accepted, ownsSocket: true), accepted.RemoteEndPoint, new SendQueueLimits(1 << 20, 10_000), lease: null);

        var waiting = connection.WaitReadableAsync().AsTask();
        waiting.IsCompleted.Should().BeFalse("nothing was sent yet");
        await client.SendAsync("hello\n"u8.ToArray(), SocketFlags.None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        var buffer = new byte[16];
        var received = await connection.ReceiveAsync(buffer);
        buffer.AsSpan(0, received).ToArray().Should().Equal("hello\n"u8.ToArray());

        connection.Output.Write("world\n"u8).Should().BeTrue();
        (await connection.Output.DrainAsync(TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None)).Should().BeTrue();
        (await ReadExactlyAsync(client, 6)).Should().Equal("world\n"u8.ToArray());
        connection.Close();
    }

    [Test]
    public async Task Lines_are_counted_by_their_line_feeds_when_queued_so_bytes_that_are_not_lines_cannot_loosen_the_limit()
    {
        var (connection, peer) = await ConnectAsync(new SendQueueLimits(MaxBytes: 1 << 20, MaxLines: 2));
        using var _ = peer;

        // A telnet answer to DO 10 (IAC WONT 10) carries an LF byte the sender counts as a line when it leaves.
        byte[] answer = [0xFF, 0xFC, 0x0A];
        for (var i = 0; i < 5; i++)
        {
            connection.Output.Write(answer).Should().BeTrue();
            (await connection.Output.DrainAsync(TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None)).Should().BeTrue();
            connection.Output.QueuedLines.Should().Be(0, "what was counted in is counted out");
        }

        connection.Output.Write(Line(10)).Should().BeTrue();
        connection.Output.Write(answer).Should().BeTrue();
        connection.Output.Write(Line(10)).Should().BeFalse("the limit is two lines, LF bytes of any kind");
        connection.Close();
    }

    [Test]
    public async Task A_second_drain_waits_for_what_was_queued_after_the_first()
    {
        var (connection, peer) = await ConnectAsync(new SendQueueLimits(64 << 20, 1_000_000));
        using var _ = peer;
        connection.Output.Write("first\n"u8);
        (await connection.Output.DrainAsync(TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None)).Should().BeTrue();
        var chunk = new byte[BlockPool.BlockSize];
        for (var i = 0; i < 4096; i++)
        {
            // 16 MiB the peer does not read: more than loopback's socket buffers hold.
            connection.Output.Write(chunk);
        }

        var drained = await connection.Output.DrainAsync(TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None);

        drained.Should().BeFalse("the bytes queued after the first drain are still waiting");
        connection.Close();
    }

    private static byte[] Line(int length) => [.. new byte[length - 1], (byte)'\n'];

    private static async Task<(Connection Connection, Socket Peer)> ConnectAsync(SendQueueLimits limits)
    {
        var (accepted, peer) = await SocketPairAsync();
        return (new SocketConnection(accepted, limits, lease: null), peer);
    }

    private static async Task<(Socket Accepted, Socket Peer)> SocketPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(listener.LocalEndPoint!);
        var accepted = await listener.AcceptAsync();
        return (accepted, peer);
    }

    /// <summary>Reads <paramref name="count"/> bytes, at most <paramref name="pieceSize"/> per receive.</summary>
    private static async Task<byte[]> ReadExactlyAsync(Socket peer, int count, int pieceSize = int.MaxValue)
    {
        var buffer = new byte[count];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var read = 0;
        while (read < count)
        {
            var n = await peer.ReceiveAsync(buffer.AsMemory(read, Math.Min(pieceSize, count - read)), SocketFlags.None, timeout.Token);
            n.Should().BePositive("the peer must not close early");
            read += n;
        }

        return buffer;
    }
}
