using ChatServer.Chat;
using ChatServer.Cluster;
using Supervision;

namespace ChatServer.Sessions;

/// <summary>
/// Who is connected and which rooms exist, as presence and the room directory know them: the lookups a
/// protocol makes about others (IRC's WHO, WHOIS, WHOWAS, ISON, LUSERS, LIST; the line protocol's /rooms).
/// Stateless; each call finds the current incarnation of the service by name.
/// </summary>
internal sealed class People(ChatServices services)
{
    private Presence Presence => services.Presence ?? throw new ServiceUnavailableException();

    /// <summary>The person holding <paramref name="nick"/> (on any node), or null.</summary>
    public Task<IChatMember?> FindAsync(string nick) => Presence.FindAsync(nick);

    /// <summary>The person on this server holding <paramref name="nick"/> (any case), with the nick in the case they chose; null if none.</summary>
    public Task<(string Nick, IChatMember Member)?> LookupAsync(string nick) => Presence.LookupAsync(nick);

    /// <summary>The nicks given up lately on this server that <paramref name="matches"/>, newest first, at most <paramref name="count"/> (0 or less: all).</summary>
    public Task<IReadOnlyList<PastNick>> WhowasAsync(Func<string, bool> matches, int count) => Presence.WhowasAsync(matches, count);

    /// <summary>The people registered on this server, with their nicks in the case they chose.</summary>
    public Task<IReadOnlyList<(string Nick, IChatMember Member)>> ListAsync() => Presence.ListAsync();

    /// <summary>How many people are connected to this server.</summary>
    public Task<int> CountAsync() => Presence.CountAsync();

    /// <summary>The most people connected to this server at once (since its nick registry last started).</summary>
    public Task<int> MostAsync() => Presence.MostAsync();

    /// <summary>The rooms with their member counts, ordered by name: cluster-wide in a cluster, unless Redis is away (then this node's).</summary>
    public async Task<IReadOnlyList<(string Room, int Members)>> ListRoomsAsync()
    {
        if (services.Cluster is { } cluster && await ClusterDirectory.ListRoomsAsync(cluster).ConfigureAwait(false) is { } clusterRooms)
        {
            return clusterRooms;
        }

        var directory = services.Rooms ?? throw new ServiceUnavailableException();
        var rooms = new List<(string, int)>();
        foreach (var room in await directory.ListAsync().ConfigureAwait(false))
        {
            try
            {
                rooms.Add((room.Name, (await room.WhoAsync().ConfigureAwait(false)).Count));
            }
            catch (ProcessExitedException)
            {
                // Stopped while listing: not a room any more.
            }
        }

        return rooms;
    }
}
