using ChatServer.Chat;
using ChatServer.Protocol;
using StackExchange.Redis;

namespace ChatServer.Cluster;

/// <summary>Cluster-wide answers to <c>/rooms</c> and <c>/who</c> about rooms with no member on this node, read from the members hashes in Redis.</summary>
internal static class ClusterDirectory
{
    /// <summary>Every room with members anywhere, with its member count, ordered by name; null when Redis cannot be reached (the caller answers from this node).</summary>
    public static async Task<IReadOnlyList<(string Room, int Members)>?> ListRoomsAsync(ClusterServices cluster)
    {
        if (cluster.Link is not { } link)
        {
            return null;
        }

        try
        {
            var database = link.Database;
            var rooms = await database.HashGetAllAsync(cluster.Node.Keys.Rooms).ConfigureAwait(false);
            var counts = await Task.WhenAll(rooms.Select(room => database.HashLengthAsync(cluster.Node.Keys.Room(room.Value!).Members))).ConfigureAwait(false);
            return rooms.Zip(counts)
                .Where(pair => pair.Second > 0)
                .Select(pair => ((string)pair.First.Value!, (int)pair.Second))
                .OrderBy(pair => pair.Item1, RoomName.Comparer)
                .ToList();
        }
        catch (Exception exception) when (RedisCalls.Failed(exception))
        {
            return null;
        }
    }

    /// <summary>The room's name and members (nick and status, ordered by nick), or null when it has no members or Redis cannot be reached.</summary>
    public static async Task<(string Room, IReadOnlyList<(string Nick, MemberStatus Status)> Members)?> MembersAsync(ClusterServices cluster, string room)
    {
        if (cluster.Link is not { } link)
        {
            return null;
        }

        try
        {
            var database = link.Database;
            var keys = cluster.Node.Keys.Room(room);
            var name = await database.HashGetAsync(cluster.Node.Keys.Rooms, room.ToLowerInvariant()).ConfigureAwait(false);
            var members = await database.HashGetAllAsync(keys.Members).ConfigureAwait(false);
            if (name.IsNull || members.Length == 0)
            {
                return null;
            }

            var state = ModerationState.Read(
                [.. (await database.HashGetAllAsync(keys.Moderation).ConfigureAwait(false)).Select(f => new KeyValuePair<string, string>(f.Name!, f.Value!))],
                _ => true);
            var statuses = state.Statuses.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
            return ((string)name!, members
                .Select(m => ((string)m.Value!, statuses.GetValueOrDefault((string)m.Name!)))
                .OrderBy(m => m.Item1, NickName.Comparer)
                .ToList());
        }
        catch (Exception exception) when (RedisCalls.Failed(exception))
        {
            return null;
        }
    }
}
