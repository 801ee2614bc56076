using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Chat;

/// <summary>
/// Finds rooms by name and creates them on first use, as temporary children of the room
/// supervisor, so two people joining a new room at once get the same one. It watches every room
/// and forgets one that stops. On start it rebuilds its map from the room supervisor's running
/// children, so a restarted directory loses nothing, and makes sure <c>#lobby</c> exists.
/// </summary>
public sealed class RoomDirectory(ChatServices services, RoomOptions roomOptions, TimeProvider timeProvider)
    : Worker<RoomDirectory.Message>(new WorkerOptions { Name = ServiceNames.RoomDirectory, TimeProvider = timeProvider })
{
    private readonly Dictionary<string, Room> _rooms = new(RoomName.Comparer);

    /// <summary>The directory's mailbox protocol.</summary>
    public abstract record Message;

    private sealed record Open(string Name, Reply<Room> Reply) : Message;

    private sealed record Find(string Name, Reply<Room?> Reply) : Message;

    private sealed record ListRooms(Reply<IReadOnlyList<Room>> Reply) : Message;

    private sealed record RoomDown(ProcessDown Down) : Message;

    /// <summary>Returns the live room named <paramref name="name"/>, creating it if needed.</summary>
    public Task<Room> OpenAsync(string name) => CallAsync<Room>(reply => new Open(name, reply));

    /// <summary>Returns the live room named <paramref name="name"/>, or null.</summary>
    public Task<Room?> FindAsync(string name) => CallAsync<Room?>(reply => new Find(name, reply));

    /// <summary>The live rooms, ordered by name.</summary>
    public Task<IReadOnlyList<Room>> ListAsync() => CallAsync<IReadOnlyList<Room>>(reply => new ListRooms(reply));

    /// <inheritdoc />
    protected override async ValueTask InitAsync(CancellationToken cancellationToken)
    {
        foreach (var child in await RoomSupervisor().WhichChildrenAsync().ConfigureAwait(false))
        {
            if (child.Process is Room room)
            {
                Track(room);
            }
        }

        await OpenRoomAsync(RoomName.Lobby).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Open open:
                try
                {
                    open.Reply.Send(await OpenRoomAsync(open.Name).ConfigureAwait(false));
                }
                catch (Exception exception) when (exception is SupervisorException or ChildStartException or ProcessExitedException or ServiceUnavailableException)
                {
                    open.Reply.Fail(exception);
                }

                break;
            case Find find:
                find.Reply.Send(_rooms.TryGetValue(find.Name, out var found) && !found.HasExited ? found : null);
                break;
            case ListRooms list:
                list.Reply.Send(_rooms.Values.Where(r => !r.HasExited).OrderBy(r => r.Name, RoomName.Comparer).ToList());
                break;
            case RoomDown down when _rooms.TryGetValue(down.Down.Process.Name, out var room) && ReferenceEquals(room, down.Down.Process):
                _rooms.Remove(room.Name);
                break;
        }
    }

    private async Task<Room> OpenRoomAsync(string name)
    {
        if (_rooms.TryGetValue(name, out var existing) && !existing.HasExited)
        {
            return existing;
        }

        var permanent = RoomName.Comparer.Equals(name, RoomName.Lobby);
        var spec = new ChildSpec
        {
            // One id for every room, as "client" for every connection: the id is a metric label
            // (supervision.restarts{child=...}), which must not carry room names.
            Id = "room",
            Restart = RestartType.Temporary,

            // Members find a live room by name without a call to the directory (ChatServices.FindRoom).
            RegisterAs = new ProcessName(services.Names, RoomName.RegisteredName(name)),
            Start = async cancellationToken =>
            {
                var room = new Room(name, roomOptions, permanent, TimeProvider, services.Cluster);
                await room.StartAsync(cancellationToken).ConfigureAwait(false);
                return room;
            },
        };
        var started = (Room)(await RoomSupervisor().StartChildAsync(spec).ConfigureAwait(false))!;
        Track(started);
        return started;
    }

    private void Track(Room room)
    {
        _rooms[room.Name] = room;
        Monitor(room, down => new RoomDown(down));
    }

    private DynamicSupervisor RoomSupervisor() =>
        services.Names.WhereIs(ServiceNames.RoomSupervisor) as DynamicSupervisor
        ?? throw new ServiceUnavailableException();
}
