using System.Net.Sockets;
using ChatServer.Chat;
using ChatServer.Clients;
using ChatServer.Faults;
using ChatServer.Network;
using Microsoft.Extensions.Logging;
using Supervision;

namespace ChatServer.Hosting;

/// <summary>
/// The server's supervision tree, in start order (see docs/architecture.md):
/// <code>
/// chat (one_for_one)
/// ├── presence          nick registry
/// ├── rooms (rest_for_one)
/// │   ├── room_supervisor   dynamic: one temporary worker per room
/// │   └── room_directory    name → room; creates rooms, rebuilt from room_supervisor on restart
/// ├── clients           dynamic, max-clients: one temporary worker per connection
/// └── acceptor          accepts on the host's listening socket
/// </code>
/// Every long-lived process registers a name; the others find it by name at the moment of use and
/// re-register with it after it restarts, so the root can be one-for-one: a crash anywhere below it
/// costs at most the connections that crashed process owned.
/// </summary>
public static class ChatTree
{
    /// <summary>The child specs of the root supervisor.</summary>
    public static IReadOnlyList<ChildSpec> Build(ChatServerOptions options, Socket listener, ChatServices services, ILoggerFactory loggers)
    {
        var time = options.TimeProvider;
        var names = services.Names;
        var clientOptions = new ClientOptions
        {
            MaxLineBytes = options.MaxLineBytes,
            MaxSendQueueBytes = options.MaxSendQueueBytes,
            MaxSendQueueLines = options.MaxSendQueueLines,
            ShutdownFlushTimeout = options.ShutdownFlushTimeout,
            FloodBurst = options.FloodBurst,
            FloodRate = options.FloodRate,
            FloodKick = options.FloodKick,
            IdleTimeout = options.IdleTimeout,
            TelnetBinary = options.TelnetBinary,
            EnableFaultInjection = options.EnableFaultInjection,
        };
        var clientLogger = loggers.CreateLogger("ChatServer.Client");

        ChildSpec ClientSpec(Socket socket) => new()
        {
            Id = "client",
            Restart = RestartType.Temporary,
            Shutdown = ShutdownPolicy.After(options.ShutdownFlushTimeout + TimeSpan.FromSeconds(1)),
            Start = async cancellationToken =>
            {
                var client = new ClientWorker(socket, services, clientOptions, clientLogger, time);
                await client.StartAsync(cancellationToken).ConfigureAwait(false);
                return client;
            },
        };

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

        return
        [
            Named(ChildSpec.ForWorker(ServiceNames.Presence, () => new Presence())),
            Named(ChildSpec.ForSupervisor(
                "rooms",
                new SupervisorOptions { Name = "rooms", Strategy = SupervisionStrategy.RestForOne, TimeProvider = time, LoggerFactory = loggers },
                [
                    Named(ChildSpec.ForDynamicSupervisor(ServiceNames.RoomSupervisor, new DynamicSupervisorOptions { Name = ServiceNames.RoomSupervisor, TimeProvider = time, LoggerFactory = loggers })),
                    Named(ChildSpec.ForWorker(ServiceNames.RoomDirectory, () => new RoomDirectory(names, new RoomOptions { HistoryLength = options.HistoryLength, AnnounceLimit = options.AnnounceLimit }, time))),
                ])),
            Named(ChildSpec.ForDynamicSupervisor(
                ServiceNames.Clients,
                new DynamicSupervisorOptions { Name = ServiceNames.Clients, MaxChildren = options.MaxClients, TimeProvider = time, LoggerFactory = loggers })),
            Named(ChildSpec.ForWorker(ServiceNames.Acceptor, () => new Acceptor(listener, services, ClientSpec, options.MaxPerIp, loggers.CreateLogger("ChatServer.Acceptor"), time))),
        ];
    }
}
