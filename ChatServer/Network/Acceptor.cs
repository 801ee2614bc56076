using System.Net;
using System.Net.Sockets;
using ChatServer.Network.Tls;
using ChatServer.Observability;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Supervision;

namespace ChatServer.Network;

/// <summary>
/// Accepts connections on a listening socket and hands each, as a <see cref="Connection"/>, to a new
/// child of the dynamic supervisor its <see cref="ConnectionHandler"/> names; from then on that child
/// owns it. A full supervisor is answered "server full", an address over its connection limit "too many
/// connections from your address" (in the listener's protocol), and closed; nothing here ever waits on
/// a peer. Accept errors such as running out of file descriptors are logged and retried with
/// exponential backoff (Polly), never in a tight loop. The accept loop hands each socket over (its start
/// is queued at the supervisor) before it accepts the next, without waiting for the start to finish; the
/// outcome of each hand-off is handled on its own, so a crash of this worker loses no accepted connection,
/// and the per-address counts live with the host, so a restarted acceptor goes on with them.
/// On a TLS port a connection first goes through the listener's <see cref="TlsHandshake"/>, on its own
/// task and holding its per-address slot, and queues for a start only once it is secure.
/// </summary>
internal sealed class Acceptor : Worker<Acceptor.Message>
{
    // Enough to keep the supervisor busy while the acceptor accepts; few enough that a burst of
    // connections waits in the kernel's backlog, not in the supervisor's mailbox.
    private const int MaxStartsInFlight = 32;

    // A refusal is one short line: a peer that does not take it within this is closed without it.
    private static readonly TimeSpan RefusalSendTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _listener;
    private readonly ConnectionHandler _handler;
    private readonly ProcessRegistry _names;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _acceptRetry;

    /// <summary>The bounded protocol tag of this listener's connection metrics.</summary>
    private readonly KeyValuePair<string, object?> _protocolTag;

    /// <summary>Child starts asked for and not yet answered: bounds what the acceptor queues at the supervisor.</summary>
    private readonly SemaphoreSlim _startsInFlight = new(MaxStartsInFlight, MaxStartsInFlight);

    /// <summary>Creates an acceptor named <paramref name="name"/> for <paramref name="listener"/>, which it uses but does not own.</summary>
    public Acceptor(string name, Socket listener, ConnectionHandler handler, ProcessRegistry names, ILogger logger, TimeProvider timeProvider)
        : base(new WorkerOptions { Name = name, TimeProvider = timeProvider })
    {
        _listener = listener;
        _handler = handler;
        _names = names;
        _logger = logger;
        _protocolTag = ChatMetrics.ProtocolTag(handler.Protocol);
        _acceptRetry = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SocketException>(e => e.SocketErrorCode is not SocketError.OperationAborted),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(10),
                MaxDelay = TimeSpan.FromSeconds(1),
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    var error = (args.Outcome.Exception as SocketException)?.SocketErrorCode ?? SocketError.SocketError;
                    AcceptorLog.AcceptFailed(_logger, error, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>The acceptor's mailbox protocol: it has no requests; its work is the accept loop.</summary>
    public abstract record Message;

    /// <summary>Starts accepting.</summary>
    protected override ValueTask InitAsync(CancellationToken cancellationToken)
    {
        AcceptorLog.Accepting(_logger, _handler.Protocol, _listener.LocalEndPoint);
        RunInBackground(AcceptLoopAsync);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override ValueTask HandleAsync(Message message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _acceptRetry.ExecuteAsync(token => _listener.AcceptAsync(token), stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException
                                                  || exception is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                // Stopping, or the host closed the listener.
                return;
            }

            // Not cancelled by stopping: an accepted socket always gets an owner or a refusal. The hand-off
            // is queued in the supervisor's mailbox before the next accept, and its outcome is handled on its
            // own, so accepting does not wait for a child's start; at most MaxStartsInFlight wait at once.
            await _startsInFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            _ = HandOffAsync(socket);
        }
    }

    private async Task HandOffAsync(Socket socket)
    {
        var holdsStart = true;
        try
        {
            if (_handler.Tls is not { } tls)
            {
                await StartClientAsync(socket).ConfigureAwait(false);
                return;
            }

            var remote = socket.RemoteEndPoint;
            if (!TryTakeSlot(socket, remote, out var slot))
            {
                return;
            }

            // A handshake is not a start in flight: it may last the whole handshake timeout, and the accept
            // loop goes on meanwhile. Its connection queues for a start only once it is secure.
            _startsInFlight.Release();
            holdsStart = false;
            if (await tls.AuthenticateAsync(socket, remote).ConfigureAwait(false) is not { } stream)
            {
                slot?.Dispose();
                return;
            }

            // Counted open from here until the connection closes (or the hand-off fails), with the per-address slot.
            var lease = ChatMetrics.ConnectionCount(_protocolTag).Open(slot);

            await _startsInFlight.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            holdsStart = true;
            var connection = new StreamConnection(stream, remote, _handler.Limits, lease);
            await StartChildAsync(connection, remote, reason => RefuseAsync(connection, remote, reason)).ConfigureAwait(false);
        }
        finally
        {
            if (holdsStart)
            {
                _startsInFlight.Release();
            }
        }
    }

    private async Task StartClientAsync(Socket socket)
    {
        var remote = socket.RemoteEndPoint;
        if (_names.WhereIs(_handler.Supervisor) is not DynamicSupervisor)
        {
            Refuse(socket, remote, RefusalReason.Restarting);
            return;
        }

        if (!TryTakeSlot(socket, remote, out var slot))
        {
            return;
        }

        // Counted open from here until the connection closes (or the hand-off fails), with the per-address slot.
        var lease = ChatMetrics.ConnectionCount(_protocolTag).Open(slot);
        Connection connection;
        try
        {
            connection = new SocketConnection(socket, _handler.Limits, lease);
        }
        catch (SocketException)
        {
            // Reset before it could be set up: nothing to hand over.
            lease.Dispose();
            socket.Dispose();
            return;
        }

        await StartChildAsync(connection, remote, reason =>
        {
            lease.Dispose();
            Refuse(socket, remote, reason);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
    }

    /// <summary>Takes a per-address slot for the peer (null when its address is unknown); false when it has too many, after refusing it.</summary>
    private bool TryTakeSlot(Socket socket, EndPoint? remote, out IDisposable? slot)
    {
        slot = null;
        if ((remote as IPEndPoint)?.Address is { } address && (slot = _handler.PerAddress.TryTake(address)) is null)
        {
            Refuse(socket, remote, RefusalReason.PerAddress);
            return false;
        }

        return true;
    }

    /// <summary>Starts the worker that takes over <paramref name="connection"/>; when there is none to take it, <paramref name="refuse"/> tells the peer why.</summary>
    private async Task StartChildAsync(Connection connection, EndPoint? remote, Func<RefusalReason, Task> refuse)
    {
        if (_names.WhereIs(_handler.Supervisor) is not DynamicSupervisor supervisor)
        {
            await refuse(RefusalReason.Restarting).ConfigureAwait(false);
            return;
        }

        try
        {
            await supervisor.StartChildAsync(_handler.Start(connection)).ConfigureAwait(false);
            ChatMetrics.Accepted.Add(1, _protocolTag);
        }
        catch (SupervisorException exception) when (exception.Error == SupervisorError.MaxChildren)
        {
            await refuse(RefusalReason.Full).ConfigureAwait(false);
        }
        catch (ProcessExitedException)
        {
            await refuse(RefusalReason.Restarting).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ChildStartException or SupervisorException or CallTimeoutException)
        {
            // Nobody else observes this hand-off: every failure ends here, logged, with the connection closed.
            AcceptorLog.ClientStartFailed(_logger, remote, exception);
            connection.Close();
        }
    }

    /// <summary>Refuses a connection that is already secure: the line goes through TLS, bounded in time, then it closes.</summary>
    private async Task RefuseAsync(Connection connection, EndPoint? remote, RefusalReason reason)
    {
        Record(remote, reason);
        try
        {
            await connection.SendAsync(_handler.Refusal(reason.Text)).AsTask().WaitAsync(RefusalSendTimeout).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or TimeoutException)
        {
            // The peer does not read or is gone: closing is all that is left.
        }
        finally
        {
            connection.Close();
        }
    }

    private void Refuse(Socket socket, EndPoint? remote, RefusalReason reason)
    {
        Record(remote, reason);
        try
        {
            // Non-blocking: a peer that does not read cannot stall the acceptor.
            socket.Blocking = false;
            socket.Send(_handler.Refusal(reason.Text));
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // The peer is gone or its buffer is full, or a child that took the socket and was killed closed it:
            // closing is all that is left.
        }
        finally
        {
            socket.Dispose();
        }
    }

    /// <summary>Logs and counts a refusal.</summary>
    private void Record(EndPoint? remote, RefusalReason reason)
    {
        AcceptorLog.Refused(_logger, remote, reason.Text);
        ChatMetrics.Refused.Add(1, _protocolTag, new("reason", reason.Tag));
    }
}
