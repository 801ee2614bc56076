using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision;

namespace ChatServer.Hosting;

/// <summary>
/// The one chat server of the process on the Generic Host: started by the supervision tree's hosted
/// service (its root is the tree's root), its listening sockets closed when the host is disposed,
/// after the tree has stopped.
/// </summary>
internal sealed class ServerInstance(IOptions<ChatServerOptions> options, ILoggerFactory loggers) : IAsyncDisposable
{
    /// <summary>The started server; null until the tree's hosted service started it.</summary>
    private ChatServerHost? _server;

    /// <summary>The started server.</summary>
    /// <exception cref="InvalidOperationException">Not started yet.</exception>
    public ChatServerHost Server => _server ?? throw new InvalidOperationException("the chat server has not started");

    /// <summary>Binds the listeners and starts the tree; returns its root (see <see cref="ChatServerHost.StartAsync"/> for the failures).</summary>
    public async Task<IProcess> StartAsync(CancellationToken cancellationToken)
    {
        _server = await ChatServerHost.StartAsync(options.Value, loggers, cancellationToken).ConfigureAwait(false);
        return _server.Root;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            // The tree has stopped (the host stopped it within its shutdown timeout); this closes the sockets.
            await server.StopAsync().ConfigureAwait(false);
        }
    }
}
