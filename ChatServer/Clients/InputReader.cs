using System.Buffers;
using System.Net.Sockets;
using ChatServer.Decoding;
using ChatServer.Network;

namespace ChatServer.Clients;

/// <summary>
/// The read side of one client: connection → decoder → the worker's mailbox, never more than a
/// small window of lines ahead of the worker (the <c>active: once</c> idea, with a window). While the
/// peer is silent it waits with a zero-byte receive and holds no buffer; a block is taken from the
/// pool only for the receive that follows. A TLS handshake at the start, or an HTTP request line as
/// the first line, is reported instead of being taken as chat.
/// </summary>
internal sealed class InputReader(Connection connection, InputDecoder decoder, int window, IInputTarget target)
{
    /// <summary>Decoder output of one read, reused by every reader on the thread (copied out before any await), so an idle reader holds none.</summary>
    [ThreadStatic]
    private static List<DecodedLine>? t_lines;

    /// <summary>Telnet answers of one read, as <see cref="t_lines"/>.</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_replies;

    /// <summary>Lines handed to the worker and not yet handled; the reader waits when the window is full.</summary>
    private readonly SemaphoreSlim _window = new(window, window);

    /// <summary>The worker handled a line: one more may be handed over.</summary>
    public void LineHandled() => _window.Release();

    /// <summary>
    /// Reads until the peer closes or the connection is closed (then posts <see cref="ClientMessage.PeerClosed"/>),
    /// or another protocol shows. <paramref name="stopping"/> only ends a wait for the window: a stopping worker closes the connection.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var firstRead = true;
        var firstLine = true;
        try
        {
            while (true)
            {
                await connection.WaitReadableAsync().ConfigureAwait(false);
                var block = BlockPool.Instance.Rent();
                DecodedLine[] lines;
                try
                {
                    var received = await connection.ReceiveAsync(block.Array).ConfigureAwait(false);
                    if (received == 0)
                    {
                        break;
                    }

                    var input = block.Array.AsSpan(0, received);
                    if (firstRead)
                    {
                        // A TLS client whose handshake arrived after the greeting.
                        firstRead = false;
                        if (ProtocolSniffer.Detect(input) == "TLS")
                        {
                            target.Post(new ClientMessage.WrongProtocol("TLS"));
                            return;
                        }
                    }

                    lines = Decode(input);
                }
                finally
                {
                    block.Return();
                }

                foreach (var line in lines)
                {
                    if (firstLine && line.Text is { } text && ProtocolSniffer.IsHttpRequestLine(text))
                    {
                        target.Post(new ClientMessage.WrongProtocol("HTTP"));
                        return;
                    }

                    firstLine = false;
                    await _window.WaitAsync(stopping).ConfigureAwait(false);
                    target.Post(line.IsTooLong ? new ClientMessage.LineTooLong() : new ClientMessage.LineReceived(line.Text!));
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            // Reset, or closed by the worker: a close like any other.
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping while waiting for the window: the worker closes the connection.
            return;
        }
        finally
        {
            decoder.Release();
        }

        target.Post(new ClientMessage.PeerClosed());
    }

    /// <summary>Decodes one read; telnet answers go to the worker at once (before the lines, as they came first or with them).</summary>
    private DecodedLine[] Decode(ReadOnlySpan<byte> input)
    {
        var lines = t_lines ??= [];
        var replies = t_replies ??= new ArrayBufferWriter<byte>(16);
        lines.Clear();
        replies.ResetWrittenCount();
        decoder.Decode(input, lines, replies);
        if (replies.WrittenCount > 0)
        {
            target.Post(new ClientMessage.RawReply(replies.WrittenSpan.ToArray()));
        }

        return lines.Count == 0 ? [] : [.. lines];
    }
}
