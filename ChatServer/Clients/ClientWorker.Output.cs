using ChatServer.Chat;
using ChatServer.Observability;
using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Clients;

/// <summary>The output side of <see cref="ClientWorker"/>: lines into the send queue, and the cut-off of a client that does not read.</summary>
public sealed partial class ClientWorker
{
    /// <summary>Writes <paramref name="chatEvent"/> as the protocol formats it, unless the protocol does not show it (a repeat).</summary>
    private void WriteEvent(ChatEvent chatEvent)
    {
        if (_adapter.Shows(chatEvent))
        {
            Write(chatEvent.Encode(_adapter.Format));
        }
    }

    private bool MailboxRefused()
    {
        if (!HasExited && !IsStopRequested)
        {
            // The mailbox is full: this client's worker cannot keep up. Cut it off rather than lose a line or
            // slow the sender. (Called on the sender's thread: only thread-safe members are used here.)
            ClientLog.SendQueueExceeded(_logger, _connection.RemoteEndPoint, Nick, _connection.Output.QueuedBytes, MailboxCount);
            ChatMetrics.SendQueueCutoffs.Add(1);
            Stop(ExitReason.ShutdownWith("send queue exceeded"));
        }

        return false;
    }

    private void WriteOthers(RoomBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Sender != Id)
            {
                Write(batch[i].Encode(_adapter.Format));
            }
        }
    }

    private void Write(OutboundLine line) => WriteQueued(line.Bytes.Span);

    private void WriteQueued(ReadOnlySpan<byte> bytes)
    {
        if (_connection.Output.Write(bytes))
        {
            return;
        }

        // Like IRC's sendq: a client that does not read is cut off, and nobody else waits for it.
        // Logged with what the queue would have held.
        ClientLog.SendQueueExceeded(_logger, _connection.RemoteEndPoint, Nick, _connection.Output.QueuedBytes + bytes.Length, _connection.Output.QueuedLines + bytes.Count((byte)'\n'));
        _leaveReason = "send queue exceeded";
        ChatMetrics.SendQueueCutoffs.Add(1);
        _connection.Output.Seal();
        Stop(ExitReason.ShutdownWith("send queue exceeded"));
    }
}
