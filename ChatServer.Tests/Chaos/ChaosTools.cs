using ChatServer.Chat;
using ChatServer.Clients;
using ChatServer.Hosting;
using ChatServer.Tests.Support;
using Supervision;

namespace ChatServer.Tests.Chaos;

/// <summary>Shared waits and lookups of the fault tests. Every wait is bounded; none sleeps.</summary>
internal static class ChaosTools
{
    /// <summary>How long a recovery step (an exit, a restart, a re-join) may take on a loaded machine.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>The notice a member of a crashed room gets before its client joins the room anew.</summary>
    public static string RoomStoppedNotice(string room) => $"* {room} stopped after a fault and its history is lost; joining it anew";

    public static T Service<T>(this ChatServerHost host, string name)
        where T : class, IProcess =>
        host.Services.Names.WhereIs(name) as T ?? throw new AssertionException($"no running {typeof(T).Name} registered as {name}");

    public static DynamicSupervisor Clients(this ChatServerHost host) => host.Service<DynamicSupervisor>(ServiceNames.Clients);

    public static async Task<List<ClientWorker>> ClientWorkersAsync(this ChatServerHost host) =>
        (await host.Clients().WhichChildrenAsync()).Select(c => c.Process).OfType<ClientWorker>().ToList();

    /// <summary>The root's record of one of its children (its restart count, its current process).</summary>
    public static async Task<ChildInfo> RootChildAsync(this ChatServerHost host, string id) =>
        (await host.Root.WhichChildrenAsync()).Single(c => c.Id == id);

    /// <summary>
    /// Waits until <paramref name="process"/> has exited and its supervisor has acted on the exit:
    /// the exit is queued to <paramref name="supervisor"/> before <see cref="IProcess.Completion"/>
    /// completes, so a request queued after it is answered only once the restart (if any) is done.
    /// </summary>
    public static async Task<ExitReason> ExitHandledAsync(this IProcess process, ISupervisor supervisor)
    {
        var reason = await process.Completion.WaitAsync(Wait);
        await supervisor.WhichChildrenAsync().WaitAsync(Wait);
        return reason;
    }

    /// <summary>Connects <paramref name="nicks"/> one after the other (each with its nick set), then reads away every notice about the others.</summary>
    public static async Task<ClientGroup> ConnectAllAsync(this TestServer server, params string[] nicks)
    {
        var group = new ClientGroup();
        try
        {
            foreach (var nick in nicks)
            {
                group.Add(await server.ConnectAsync(nick));
            }

            await group.SyncAllAsync();
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }

        return group;
    }

    /// <summary>Joins <paramref name="room"/> and reads the confirmation.</summary>
    public static async Task JoinAsync(this ChatClient client, string room)
    {
        await client.SendAsync($"/join {room}");
        await client.ExpectAsync(l => l.StartsWith($"* you joined {room} (", StringComparison.Ordinal));
    }
}
