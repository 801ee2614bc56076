using System.Net;
using ChatServer.Chat;
using ChatServer.Cluster;
using ChatServer.Faults;
using ChatServer.Network;
using ChatServer.Network.Tls;
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
    /// <summary>The listening sockets, closed once the tree has stopped.</summary>
    private readonly ServerListeners _listeners;

    /// <summary>The expiry gauge's hold on the TLS certificate, or null without TLS.</summary>
    private readonly IDisposable? _certificateTracking;

    /// <summary>Metrics, health and traces; null when neither a metrics port nor OTLP is asked for.</summary>
    private readonly ServerObservability? _observability;

    private ChatServerHost(ServerListeners listeners, Supervisor root, ChatServices services, bool enableFaultInjection, ServerObservability? observability)
    {
        _listeners = listeners;
        _observability = observability;
        Root = root;
        Services = services;
        Faults = new FaultInjector(services, enableFaultInjection);
        LocalEndPoint = EndPointOf(ServiceNames.Acceptor)!;
        IrcEndPoint = EndPointOf(ServiceNames.IrcAcceptor);
        TlsEndPoint = EndPointOf(ServiceNames.TlsAcceptor);
        IrcTlsEndPoint = EndPointOf(ServiceNames.IrcTlsAcceptor);
        _certificateTracking = listeners.Certificate is { } certificate ? TlsMetrics.Track(certificate) : null;

        IPEndPoint? EndPointOf(string acceptor) =>
            listeners.All.FirstOrDefault(listener => listener.AcceptorName == acceptor)?.Socket.LocalEndPoint as IPEndPoint;
    }

    /// <summary>Test-only crashes of parts of the tree; every call throws unless fault injection is on.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Where the server listens for the line protocol (with the real port when started with port 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Where the server listens for IRC clients, or null when IRC is off.</summary>
    public IPEndPoint? IrcEndPoint { get; }

    /// <summary>Where the server listens for the line protocol over TLS, or null without <c>--tls-port</c>.</summary>
    public IPEndPoint? TlsEndPoint { get; }

    /// <summary>Where the server listens for IRC over TLS, or null without <c>--irc-tls-port</c>.</summary>
    public IPEndPoint? IrcTlsEndPoint { get; }

    /// <summary>Where <c>/metrics</c> and <c>/healthz</c> are served (with the real port when started with port 0), or null when the metrics port is off.</summary>
    public IPEndPoint? MetricsEndPoint => _observability?.MetricsEndPoint;

    /// <summary>The root supervisor.</summary>
    public Supervisor Root { get; }

    /// <summary>The named services of the tree.</summary>
    public ChatServices Services { get; }

    /// <summary>Completes when the tree has stopped, with the root's exit reason.</summary>
    public Task<ExitReason> Completion => Root.Completion;

    /// <summary>
    /// Loads the TLS certificate if a TLS port is on, binds the listening sockets (the line protocol's, then
    /// IRC's unless it is off, then the TLS ports asked for) and starts the tree.
    /// </summary>
    /// <exception cref="ListenerBindException">An address cannot be bound (e.g. the port is in use); it names which.</exception>
    /// <exception cref="TlsCertificateException">The TLS certificate or key cannot be loaded; it names the files.</exception>
    /// <exception cref="ChildStartException">A service failed to start; nothing is left running.</exception>
    public static async Task<ChatServerHost> StartAsync(ChatServerOptions options, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var listeners = ServerListeners.Open(options, loggers);
        try
        {
            return await StartAsync(options, listeners, loggers, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            listeners.Dispose();
            throw;
        }
    }

    /// <summary>Starts the tree over <paramref name="listeners"/>, opened beforehand (the program opens them before the host starts, so that a port in use is one error line).</summary>
    /// <exception cref="ChildStartException">A service failed to start; nothing is left running (the listeners stay the caller's to close).</exception>
    internal static async Task<ChatServerHost> StartAsync(ChatServerOptions options, ServerListeners listeners, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var names = new ProcessRegistry();
        var services = new ChatServices(names, ClusterNode.From(options) is { } node ? new ClusterServices(node, names, loggers) : null);
        var root = await Supervisor.StartAsync(
            new SupervisorOptions { Name = "chat", TimeProvider = options.TimeProvider, LoggerFactory = loggers },
            ChatTree.Build(options, listeners.All, services, loggers, listeners.Certificate),
            cancellationToken).ConfigureAwait(false);
        ServerObservability? observability = null;
        if (options.MetricsPort is not null || options.OtlpEndpoint is not null)
        {
            try
            {
                observability = await ServerObservability.StartAsync(options.MetricsPort, options.MetricsListenAddress, options.OtlpEndpoint, options.NodeName, root, names, [.. listeners.All.Select(l => l.AcceptorName)], loggers).ConfigureAwait(false);
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

    /// <summary>
    /// Stops gracefully: the acceptor first (no new connections), then every client (each is told
    /// <c>* server shutting down</c> and its queue flushed, bounded by the flush timeout), the rooms
    /// and presence; then closes the listening socket. <c>/healthz</c> answers 503 from the start of the stop,
    /// and the metrics endpoint closes last. Returns the root's exit reason.
    /// </summary>
    public async Task<ExitReason> StopAsync()
    {
        BeginStopping();
        Root.Stop();
        var reason = await Root.Completion.ConfigureAwait(false);
        _listeners.Dispose();
        _certificateTracking?.Dispose();

        if (_observability is not null)
        {
            await _observability.DisposeAsync().ConfigureAwait(false);
        }

        return reason;
    }

    /// <summary>Turns <c>/healthz</c> to 503 (the Generic Host calls it when its stop begins, before it stops the tree).</summary>
    internal void BeginStopping() => _observability?.BeginStopping();

    /// <summary>The tree, rendered for operators.</summary>
    public Task<string> RenderTreeAsync() => SupervisorTree.RenderAsync(Root);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
