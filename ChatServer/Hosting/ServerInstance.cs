using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision;

namespace ChatServer.Hosting;

/// <summary>
/// The one chat server of the process on the Generic Host: its listeners opened by the program before
/// the host starts, its tree started by the supervision tree's hosted service (its root is the tree's
/// root), its listening sockets closed when the host is disposed, after the tree has stopped.
/// </summary>
internal sealed class ServerInstance(IOptions<ChatServerOptions> options, ILoggerFactory loggers, IHostApplicationLifetime lifetime) : IAsyncDisposable
{
    /// <summary>The listening sockets; null until <see cref="OpenListeners"/>.</summary>
    private ServerListeners? _listeners;

    /// <summary>The started server; null until the tree's hosted service started it.</summary>
    private ChatServerHost? _server;

    /// <summary>The started server.</summary>
    /// <exception cref="InvalidOperationException">Not started yet.</exception>
    public ChatServerHost Server => _server ?? throw new InvalidOperationException("the chat server has not started");

    /// <summary>Loads the TLS certificate and binds every port (see <see cref="ServerListeners.Open"/> for the failures).</summary>
    public void OpenListeners() => _listeners = ServerListeners.Open(options.Value, loggers);

    /// <summary>Starts the tree over the listeners; returns its root.</summary>
    /// <exception cref="ChildStartException">A service failed to start; nothing is left running.</exception>
    public async Task<IProcess> StartAsync(CancellationToken cancellationToken)
    {
        var listeners = _listeners ?? throw new InvalidOperationException("the listeners are opened before the host starts");
        var server = await ChatServerHost.StartAsync(options.Value, listeners, loggers, cancellationToken).ConfigureAwait(false);
        _server = server;

        // /healthz says 503 from the moment the host begins to stop, before the tree's graceful stop.
        lifetime.ApplicationStopping.Register(server.BeginStopping);
        return server.Root;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            // The tree has stopped (the host stopped it within its shutdown timeout); this closes the sockets.
            await server.StopAsync().ConfigureAwait(false);
        }
        else
        {
            _listeners?.Dispose();
        }
    }
}
