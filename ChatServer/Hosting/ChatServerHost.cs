using System.Net;
using System.Net.Sockets;
using ChatServer.Chat;
using ChatServer.Cluster;
using ChatServer.Faults;
using ChatServer.Network;
using ChatServer.Observability;
using ChatServer.Protocol;
using ChatServer.Protocol.Irc;
using Microsoft.Extensions.Logging;
using Supervision;

namespace ChatServer.Hosting;

/// <summary>
/// A running chat server: the listening socket and the supervision tree above it. Used by the
/// program and, in-process, by the tests.
/// </summary>
public sealed class ChatServerHost : IAsyncDisposable
{
    private readonly IReadOnlyList<Socket> _listeners;

    /// <summary>Metrics, health and traces; null when neither a metrics port nor OTLP is asked for.</summary>
    private readonly ServerObservability? _observability;

    private ChatServerHost(IReadOnlyList<ChatListener> listeners, Supervisor root, ChatServices services, bool enableFaultInjection, ServerObservability? observability)
    {
        _observability = observability;
        _listeners = [.. listeners.Select(listener => listener.Socket)];
        Root = root;
        Services = services;
        Faults = new FaultInjector(services, enableFaultInjection);
        LocalEndPoint = (IPEndPoint)listeners[0].Socket.LocalEndPoint!;
        IrcEndPoint = listeners.Count > 1 ? (IPEndPoint)listeners[1].Socket.LocalEndPoint! : null;
    }

    /// <summary>Test-only crashes of parts of the tree; every call throws unless fault injection is on.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Where the server listens for the line protocol (with the real port when started with port 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Where the server listens for IRC clients, or null when IRC is off.</summary>
    public IPEndPoint? IrcEndPoint { get; }

    /// <summary>Where <c>/metrics</c> and <c>/healthz</c> are served (with the real port when started with port 0), or null when the metrics port is off.</summary>
    public IPEndPoint? MetricsEndPoint => _observability?.MetricsEndPoint;

    /// <summary>The root supervisor.</summary>
    public Supervisor Root { get; }

    /// <summary>The named services of the tree.</summary>
    public ChatServices Services { get; }

    /// <summary>Completes when the tree has stopped, with the root's exit reason.</summary>
    public Task<ExitReason> Completion => Root.Completion;

    /// <summary>Binds the listening sockets (the line protocol's, then IRC's unless it is off) and starts the tree.</summary>
    /// <exception cref="ListenerBindException">An address cannot be bound (e.g. the port is in use); it names which.</exception>
    /// <exception cref="ChildStartException">A service failed to start; nothing is left running.</exception>
    public static async Task<ChatServerHost> StartAsync(ChatServerOptions options, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // One count per address across both ports: the per-address limit is per person, not per protocol.
        var perAddress = new AddressCounter(options.MaxPerIp);
        var listeners = new List<ChatListener>();
        try
        {
            listeners.Add(new(ServiceNames.Acceptor, ListenerBindException.Open(options.BindAddress, options.Port), ListenerProtocol.Line, perAddress));
            if (options.EffectiveIrcPort is { } ircPort)
            {
                var irc = new IrcServer(options);
                listeners.Add(new(ServiceNames.IrcAcceptor, ListenerBindException.Open(options.BindAddress, ircPort), ListenerProtocol.Irc(irc), perAddress));
            }

            var names = new ProcessRegistry();
            var services = new ChatServices(names, ClusterNode.From(options) is { } node ? new ClusterServices(node, names, loggers) : null);
            var root = await Supervisor.StartAsync(
                new SupervisorOptions { Name = "chat", TimeProvider = options.TimeProvider, LoggerFactory = loggers },
                ChatTree.Build(options, listeners, services, loggers),
                cancellationToken).ConfigureAwait(false);
            ServerObservability? observability = null;
            if (options.MetricsPort is not null || options.OtlpEndpoint is not null)
            {
                try
                {
                    observability = await ServerObservability.StartAsync(options.MetricsPort, options.MetricsBindAddress, options.OtlpEndpoint, root, names, [.. listeners.Select(l => l.AcceptorName)], loggers).ConfigureAwait(false);
                }
                catch
                {
                    // The metrics port could not be bound: nothing is left running.
                    root.Stop();
                    await root.Completion.ConfigureAwait(false);
                    throw;
                }
            }

            return new ChatServerHost(listeners, root, services, options.EnableFaultInjection, observability);
        }
        catch
        {
            foreach (var listener in listeners)
            {
                listener.Socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Stops gracefully: the acceptor first (no new connections), then every client (each is told
    /// <c>* server shutting down</c> and its queue flushed, bounded by the flush timeout), the rooms
    /// and presence; then closes the listening socket. <c>/healthz</c> answers 503 from the start of the stop,
    /// and the metrics endpoint closes last. Returns the root's exit reason.
    /// </summary>
    public async Task<ExitReason> StopAsync()
    {
        _observability?.BeginStopping();
        Root.Stop();
        var reason = await Root.Completion.ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        if (_observability is not null)
        {
            await _observability.DisposeAsync().ConfigureAwait(false);
        }

        return reason;
    }

    /// <summary>The tree, rendered for operators.</summary>
    public Task<string> RenderTreeAsync() => SupervisorTree.RenderAsync(Root);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
