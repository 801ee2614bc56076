using System.Net.Sockets;
using ChatServer.Chat;
using ChatServer.Clients;
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
        var clientOptions = new ClientOptions(options.MaxLineBytes, options.MaxSendQueueBytes, options.ShutdownFlushTimeout, options.EnableFaultInjection);
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

        return
        [
            Registered(services.Names, ServiceNames.Presence, () => new Presence()),
            ChildSpecFor(services.Names, "rooms", ChildType.Supervisor, async cancellationToken =>
                await Supervisor.StartAsync(
                    new SupervisorOptions { Name = "rooms", Strategy = SupervisionStrategy.RestForOne, TimeProvider = time, LoggerFactory = loggers },
                    [
                        ChildSpecFor(services.Names, ServiceNames.RoomSupervisor, ChildType.Supervisor, async token =>
                            await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = ServiceNames.RoomSupervisor, TimeProvider = time, LoggerFactory = loggers }, token).ConfigureAwait(false)),
                        Registered(services.Names, ServiceNames.RoomDirectory, () => new RoomDirectory(services.Names, options.HistoryLength, time)),
                    ],
                    cancellationToken).ConfigureAwait(false)),
            ChildSpecFor(services.Names, ServiceNames.Clients, ChildType.Supervisor, async cancellationToken =>
                await DynamicSupervisor.StartAsync(
                    new DynamicSupervisorOptions { Name = ServiceNames.Clients, MaxChildren = options.MaxClients, TimeProvider = time, LoggerFactory = loggers },
                    cancellationToken).ConfigureAwait(false)),
            Registered(services.Names, ServiceNames.Acceptor, () => new Acceptor(listener, services, ClientSpec, loggers.CreateLogger("ChatServer.Acceptor"), time, options.EnableFaultInjection)),
        ];
    }

    private static ChildSpec Registered<TWorker>(ProcessRegistry names, string name, Func<TWorker> create)
        where TWorker : IProcess =>
        ChildSpecFor(names, name, ChildType.Worker, async cancellationToken =>
        {
            var worker = create();
            await worker.StartAsync(cancellationToken).ConfigureAwait(false);
            return worker;
        });

    /// <summary>A permanent child that registers its name once started.</summary>
    private static ChildSpec ChildSpecFor(ProcessRegistry names, string name, ChildType type, Func<CancellationToken, Task<IProcess>> start) => new()
    {
        Id = name,
        Type = type,
        Start = async cancellationToken =>
        {
            var process = await start(cancellationToken).ConfigureAwait(false);
            names.Register(name, process);
            return process;
        },
    };
}
