using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatServer.Chat;
using ChatServer.Clients;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Supervision;

namespace ChatServer.Network;

/// <summary>
/// Accepts connections on the host's listening socket and hands each to a new client worker under
/// the client supervisor; from then on the worker owns the socket. A full client supervisor is
/// answered <c>! server full</c>, an address over its connection limit <c>! too many connections
/// from your address</c>, and closed; nothing here ever waits on a peer. Accept errors such as
/// running out of file descriptors are logged and retried with exponential backoff (Polly), never
/// in a tight loop. The accept loop itself hands each socket over before it accepts the next, so a
/// crash of this worker loses no accepted connection. A restarted acceptor rebuilds its
/// per-address counts from the client supervisor's children.
/// </summary>
public sealed class Acceptor : Worker<Acceptor.Message>
{
    private readonly Socket _listener;
    private readonly ChatServices _services;
    private readonly Func<Socket, ChildSpec> _clientSpec;
    private readonly ILogger _logger;
    private readonly AddressCounter _perAddress;
    private readonly ResiliencePipeline _acceptRetry;

    /// <summary>Creates an acceptor for <paramref name="listener"/>, which it uses but does not own.</summary>
    public Acceptor(Socket listener, ChatServices services, Func<Socket, ChildSpec> clientSpec, int maxPerIp, ILogger logger, TimeProvider timeProvider)
        : base(new WorkerOptions { Name = ServiceNames.Acceptor, TimeProvider = timeProvider })
    {
        _perAddress = new AddressCounter(maxPerIp);
        _listener = listener;
        _services = services;
        _clientSpec = clientSpec;
        _logger = logger;
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

    /// <summary>Counts the connections already open per address (after a restart), then starts accepting.</summary>
    protected override async ValueTask InitAsync(CancellationToken cancellationToken)
    {
        if (_services.Names.WhereIs(ServiceNames.Clients) is DynamicSupervisor clients)
        {
            foreach (var child in await clients.WhichChildrenAsync().ConfigureAwait(false))
            {
                if (child.Process is ClientWorker { RemoteAddress: { } address } client)
                {
                    _perAddress.TryTake(address);
                    ReleaseOnExit(address, client);
                }
            }
        }

        AcceptorLog.Accepting(_logger, _listener.LocalEndPoint);
        RunInBackground(AcceptLoopAsync);
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

            // Not cancelled by stopping: an accepted socket always gets an owner or a refusal.
            await HandOffAsync(socket).ConfigureAwait(false);
        }
    }

    private async Task HandOffAsync(Socket socket)
    {
        var remote = socket.RemoteEndPoint;
        var address = (remote as IPEndPoint)?.Address;
        if (_services.Names.WhereIs(ServiceNames.Clients) is not DynamicSupervisor clients)
        {
            Refuse(socket, "server restarting, try again");
            return;
        }

        if (address is not null && !_perAddress.TryTake(address))
        {
            Refuse(socket, "too many connections from your address");
            return;
        }

        IProcess? client = null;
        try
        {
            client = await clients.StartChildAsync(_clientSpec(socket)).ConfigureAwait(false);
        }
        catch (SupervisorException exception) when (exception.Error == SupervisorError.MaxChildren)
        {
            Refuse(socket, "server full");
        }
        catch (ProcessExitedException)
        {
            Refuse(socket, "server restarting, try again");
        }
        catch (ChildStartException exception)
        {
            AcceptorLog.ClientStartFailed(_logger, remote, exception);
            socket.Dispose();
        }

        if (address is null)
        {
            return;
        }

        if (client is null)
        {
            _perAddress.Release(address);
        }
        else
        {
            ReleaseOnExit(address, client);
        }
    }

    private void ReleaseOnExit(IPAddress address, IProcess client) => client.Monitor(_ => _perAddress.Release(address));

    private void Refuse(Socket socket, string reason)
    {
        AcceptorLog.Refused(_logger, socket.RemoteEndPoint, reason);
        try
        {
            // Non-blocking: a peer that does not read cannot stall the acceptor.
            socket.Blocking = false;
            socket.Send(Encoding.UTF8.GetBytes($"! {reason}\r\n"));
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The peer is gone or its buffer is full: closing is all that is left.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
