using System.Net.Sockets;
using ChatServer.Chat;
using ChatServer.Clients;
using ChatServer.Cluster;
using ChatServer.Faults;
using ChatServer.Network;
using ChatServer.Network.Tls;
using ChatServer.Protocol;
using Microsoft.Extensions.Logging;
using Supervision;

namespace ChatServer.Hosting;

/// <summary>
/// The server's supervision tree, in start order (see docs/architecture.md):
/// <code>
/// chat (one_for_one)
/// ├── cluster (rest_for_one)   only with --redis (docs/cluster.md)
/// │   ├── cluster_link      the connection to Redis; judges whether it answers
/// │   ├── cluster_outbox    the ordered writer, with the backlog of an outage
/// │   ├── node_lease        this node's heartbeat; declares lost nodes
/// │   └── cluster_barriers  /ping as a barrier on every node
/// ├── presence          nick registry
/// ├── rooms (rest_for_one)
/// │   ├── room_supervisor   dynamic: one temporary worker per room
/// │   └── room_directory    name → room; creates rooms, rebuilt from room_supervisor on restart
/// ├── clients           dynamic, max-clients: one temporary worker per connection
/// ├── tls_certificate   reloads the TLS certificate when its files change (only with a TLS port)
/// ├── acceptor          accepts on the chat port (line protocol)
/// ├── irc_acceptor      accepts on the IRC port (unless --no-irc)
/// ├── tls_acceptor      accepts on the line protocol's TLS port (only with --tls-port)
/// └── irc_tls_acceptor  accepts on IRC's TLS port (only with --irc-tls-port)
/// </code>
/// Every long-lived process registers a name; the others find it by name at the moment of use and
/// re-register with it after it restarts, so the root can be one-for-one: a crash anywhere below it
/// costs at most the connections that crashed process owned.
/// </summary>
internal static class ChatTree
{
    /// <summary>
    /// The child specs of the root supervisor, with one acceptor per listener of <paramref name="listeners"/>
    /// and, when a TLS port is on, the reloader of its <paramref name="certificate"/>.
    /// </summary>
    public static IReadOnlyList<ChildSpec> Build(ChatServerOptions options, IReadOnlyList<ChatListener> listeners, ChatServices services, ILoggerFactory loggers, ServerCertificate? certificate = null)
    {
        var time = options.TimeProvider;
        var names = services.Names;
        // Owned by the tree, not by a presence incarnation: numbering continues after a presence restart.
        var guestNumbers = new GuestNumbers();

        // A permanent child registered under its id, so that the others find each incarnation by name.
        ChildSpec Named(ChildSpec spec) => WithCrashLoop(spec with { RegisterAs = new ProcessName(names, spec.Id) });

        // Test hook, off unless --enable-fault-injection: the named child crashes right after every start.
        ChildSpec WithCrashLoop(ChildSpec spec) => !options.EnableFaultInjection || options.CrashLoop != spec.Id ? spec : spec with
        {
            Start = async cancellationToken =>
            {
                var process = await spec.Start(cancellationToken).ConfigureAwait(false);
                process?.Stop(ExitReason.Failure(new InjectedFaultException($"{spec.Id} crashes after every start (fault injection)")));
                return process;
            },
        };

        var acceptorLogger = loggers.CreateLogger("ChatServer.Acceptor");
        var cloak = HostCloak.Create(options.CloakKey);
        var handlers = listeners.Select(listener => (listener, handler: ConnectionHandlerFor(listener, options, cloak, services, loggers)));
        return
        [
            .. ClusterSpecs(options, services, loggers),
            Named(ChildSpec.ForWorker(ServiceNames.Presence, () => new Presence(guestNumbers, services.Cluster))),
            Named(ChildSpec.ForSupervisor(
                "rooms",
                new SupervisorOptions { Name = "rooms", Strategy = SupervisionStrategy.RestForOne, TimeProvider = time, LoggerFactory = loggers },
                [
                    Named(ChildSpec.ForDynamicSupervisor(ServiceNames.RoomSupervisor, new DynamicSupervisorOptions { Name = ServiceNames.RoomSupervisor, TimeProvider = time, LoggerFactory = loggers })),
                    Named(ChildSpec.ForWorker(ServiceNames.RoomDirectory, () => new RoomDirectory(services, RoomOptions.From(options), time))),
                ])),
            Named(ChildSpec.ForDynamicSupervisor(
                ServiceNames.Clients,
                new DynamicSupervisorOptions { Name = ServiceNames.Clients, MaxChildren = options.MaxClients, TimeProvider = time, LoggerFactory = loggers })),
            .. certificate is null ? [] : new[]
            {
                Named(ChildSpec.ForWorker(ServiceNames.TlsCertificate, () => new CertificateReloader(ServiceNames.TlsCertificate, certificate, options.TlsReloadCheckInterval, loggers.CreateLogger(TlsLog.Category), time))),
            },
            .. handlers.Select(h => Named(ChildSpec.ForWorker(h.listener.AcceptorName, () => new Acceptor(h.listener.AcceptorName, h.listener.Socket, h.handler, names, acceptorLogger, time)))),
        ];
    }

    /// <summary>The cluster subtree, first, so that presence and rooms find the link; none when the server runs alone.</summary>
    private static IEnumerable<ChildSpec> ClusterSpecs(ChatServerOptions options, ChatServices services, ILoggerFactory loggers)
    {
        if (services.Cluster is not { Node: var node })
        {
            yield break;
        }

        var time = options.TimeProvider;
        var names = services.Names;
        var logger = loggers.CreateLogger("ChatServer.Cluster");
        ChildSpec Named(ChildSpec spec) => spec with { RegisterAs = new ProcessName(names, spec.Id) };
        yield return Named(ChildSpec.ForSupervisor(
            ServiceNames.Cluster,
            // Backoff: a restart that fails (Redis refusing a worker's start) is tried again after a growing wait, not at once.
            new SupervisorOptions { Name = ServiceNames.Cluster, Strategy = SupervisionStrategy.RestForOne, Backoff = new RestartBackoff(), TimeProvider = time, LoggerFactory = loggers },
            [
                Named(ChildSpec.ForWorker(ServiceNames.ClusterLink, () => new ClusterLink(node, logger, time))),
                Named(ChildSpec.ForWorker(ServiceNames.ClusterOutbox, () => new ClusterOutbox(node, names, logger, time))),
                Named(ChildSpec.ForWorker(ServiceNames.NodeLease, () => new NodeLease(node, names, logger, time))),
                Named(ChildSpec.ForWorker(ServiceNames.ClusterBarriers, () => new ClusterBarriers(node, services, logger, time))),
            ]));
    }

    /// <summary>What the acceptor of <paramref name="listener"/> does with a connection: a temporary client worker speaking the listener's protocol.</summary>
    private static ConnectionHandler ConnectionHandlerFor(ChatListener listener, ChatServerOptions options, HostCloak cloak, ChatServices services, ILoggerFactory loggers)
    {
        var clientOptions = listener.Protocol.ConfigureClient(ClientOptions.From(options, cloak));
        var clientLogger = loggers.CreateLogger("ChatServer.Client");
        var shutdown = ShutdownPolicy.After(options.ShutdownFlushTimeout + TimeSpan.FromSeconds(1));
        return new ConnectionHandler(
            listener.Tls is null ? listener.Protocol.Name : $"{listener.Protocol.Name} over TLS",
            ServiceNames.Clients,
            clientOptions.SendQueue,
            listener.PerAddress,
            connection => new ChildSpec
            {
                Id = "client",
                Restart = RestartType.Temporary,
                Shutdown = shutdown,
                Start = async cancellationToken =>
                {
                    var client = new ClientWorker(connection, services, clientOptions, listener.Protocol.CreateAdapter, clientLogger);
                    await client.StartAsync(cancellationToken).ConfigureAwait(false);
                    return client;
                },
            },
            listener.Protocol.Refusal,
            listener.Tls);
    }
}
