using System.Net;
using System.Net.Sockets;
using ChatServer.Chat;
using ChatServer.Cluster;
using ChatServer.Faults;
using ChatServer.Network;
using ChatServer.Protocol;
using Microsoft.Extensions.Logging;
using Supervision;

namespace ChatServer.Hosting;

/// <summary>
/// A running chat server: the listening socket and the supervision tree above it. Used by the
/// program and, in-process, by the tests.
/// </summary>
public sealed class ChatServerHost : IAsyncDisposable
{
    private readonly Socket _listener;

    private ChatServerHost(Socket listener, Supervisor root, ChatServices services, bool enableFaultInjection)
    {
        _listener = listener;
        Root = root;
        Services = services;
        Faults = new FaultInjector(services, enableFaultInjection);
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>Test-only crashes of parts of the tree; every call throws unless fault injection is on.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Where the server listens (with the real port when started with port 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The root supervisor.</summary>
    public Supervisor Root { get; }

    /// <summary>The named services of the tree.</summary>
    public ChatServices Services { get; }

    /// <summary>Completes when the tree has stopped, with the root's exit reason.</summary>
    public Task<ExitReason> Completion => Root.Completion;

    /// <summary>Binds the listening socket and starts the tree.</summary>
    /// <exception cref="SocketException">The address cannot be bound (e.g. the port is in use).</exception>
    /// <exception cref="ChildStartException">A service failed to start; nothing is left running.</exception>
    public static async Task<ChatServerHost> StartAsync(ChatServerOptions options, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var listener = Listener.Open(new IPEndPoint(options.BindAddress, options.Port));
        try
        {
            var names = new ProcessRegistry();
            var services = new ChatServices(names, ClusterNode.From(options) is { } node ? new ClusterServices(node, names, loggers) : null);
            ChatListener[] listeners = [new(ServiceNames.Acceptor, listener, ListenerProtocol.Line, new AddressCounter(options.MaxPerIp))];
            var root = await Supervisor.StartAsync(
                new SupervisorOptions { Name = "chat", TimeProvider = options.TimeProvider, LoggerFactory = loggers },
                ChatTree.Build(options, listeners, services, loggers),
                cancellationToken).ConfigureAwait(false);
            return new ChatServerHost(listener, root, services, options.EnableFaultInjection);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Stops gracefully: the acceptor first (no new connections), then every client (each is told
    /// <c>* server shutting down</c> and its queue flushed, bounded by the flush timeout), the rooms
    /// and presence; then closes the listening socket. Returns the root's exit reason.
    /// </summary>
    public async Task<ExitReason> StopAsync()
    {
        Root.Stop();
        var reason = await Root.Completion.ConfigureAwait(false);
        _listener.Dispose();
        return reason;
    }

    /// <summary>The tree, rendered for operators.</summary>
    public Task<string> RenderTreeAsync() => SupervisorTree.RenderAsync(Root);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
