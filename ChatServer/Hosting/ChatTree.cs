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

        // A permanent child that registers its name once started.
        ChildSpec Named(string name, ChildType type, Func<CancellationToken, Task<IProcess>> start) => new()
        {
            Id = name,
            Type = type,
            Start = async cancellationToken =>
            {
                var process = await start(cancellationToken).ConfigureAwait(false);
                names.Register(name, process);
                if (options.EnableFaultInjection && options.CrashLoop == name)
                {
                    process.Stop(ExitReason.Failure(new InjectedFaultException($"{name} crashes after every start (fault injection)")));
                }

                return process;
            },
        };

        ChildSpec Worker<TWorker>(string name, Func<TWorker> create)
            where TWorker : IProcess =>
            Named(name, ChildType.Worker, async cancellationToken =>
            {
                var worker = create();
                await worker.StartAsync(cancellationToken).ConfigureAwait(false);
                return worker;
            });

        return
        [
            Worker(ServiceNames.Presence, () => new Presence()),
            Named("rooms", ChildType.Supervisor, async cancellationToken =>
                await Supervisor.StartAsync(
                    new SupervisorOptions { Name = "rooms", Strategy = SupervisionStrategy.RestForOne, TimeProvider = time, LoggerFactory = loggers },
                    [
                        Named(ServiceNames.RoomSupervisor, ChildType.Supervisor, async token =>
                            await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = ServiceNames.RoomSupervisor, TimeProvider = time, LoggerFactory = loggers }, token).ConfigureAwait(false)),
                        Worker(ServiceNames.RoomDirectory, () => new RoomDirectory(names, new RoomOptions { HistoryLength = options.HistoryLength, AnnounceLimit = options.AnnounceLimit }, time)),
                    ],
                    cancellationToken).ConfigureAwait(false)),
            Named(ServiceNames.Clients, ChildType.Supervisor, async cancellationToken =>
                await DynamicSupervisor.StartAsync(
                    new DynamicSupervisorOptions { Name = ServiceNames.Clients, MaxChildren = options.MaxClients, TimeProvider = time, LoggerFactory = loggers },
                    cancellationToken).ConfigureAwait(false)),
            Worker(ServiceNames.Acceptor, () => new Acceptor(listener, services, ClientSpec, options.MaxPerIp, loggers.CreateLogger("ChatServer.Acceptor"), time)),
        ];
    }
}
