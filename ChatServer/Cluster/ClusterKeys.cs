using StackExchange.Redis;

namespace ChatServer.Cluster;

/// <summary>
/// Every key and channel the cluster uses in Redis (docs/cluster.md lists them). All start with the
/// cluster name as a hash tag, <c>{chat}:</c>, so the multi-key scripts also run on a Redis Cluster.
/// Room names are lower-cased in keys: rooms compare case-insensitively.
/// </summary>
internal sealed class ClusterKeys(string clusterName)
{
    /// <summary>The prefix of every key, with its hash tag.</summary>
    public string Prefix { get; } = "{" + clusterName + "}";

    /// <summary>Hash: node name → its last heartbeat (incarnation and counter).</summary>
    public RedisKey Nodes => Prefix + ":nodes";

    /// <summary>Counter of guest numbers, shared by every node.</summary>
    public RedisKey GuestNumbers => Prefix + ":guest";

    /// <summary>Hash: lower-case room name → the room's name, for every room with members.</summary>
    public RedisKey Rooms => Prefix + ":rooms";

    /// <summary>String: the owner (<c>node/member</c>, tab, nick) of a nick.</summary>
    public RedisKey Nick(string nick) => Prefix + ":nick:" + nick.ToLowerInvariant();

    /// <summary>Set: the lower-case nicks a node holds, so survivors can free them.</summary>
    public RedisKey NodeNicks(string node) => Prefix + ":node:" + node + ":nicks";

    /// <summary>Set: the lower-case names of rooms a node has members in, so survivors can remove them.</summary>
    public RedisKey NodeRooms(string node) => Prefix + ":node:" + node + ":rooms";

    /// <summary>Channel: a node's barrier requests and acknowledgements (<see cref="ClusterBarriers"/>).</summary>
    public RedisChannel Barriers(string node) => RedisChannel.Literal(Prefix + ":node:" + node + ":barrier");

    /// <summary>The keys and channel of one room's log.</summary>
    public StreamKeys Room(string room)
    {
        var name = Prefix + ":room:" + room.ToLowerInvariant();
        return new StreamKeys(name + ":log", name + ":meta", name + ":members", RedisChannel.Literal(name), name + ":mod");
    }

    /// <summary>The keys and channel of a node's inbox: private messages to its people.</summary>
    public StreamKeys Inbox(string node)
    {
        var name = Prefix + ":inbox:" + node;
        return new StreamKeys(name + ":log", name + ":meta", name + ":members", RedisChannel.Literal(name), name + ":mod");
    }
}

/// <summary>
/// One log in Redis: the stream, its meta hash (<c>seq</c>: entries ever appended), its members hash (member id → nick; empty for an inbox),
/// the channel each append is pushed on, and the room's moderation hash (unused for an inbox). The scripts make the moderation key from
/// the members key (<c>...:members</c> → <c>...:mod</c>); it is here for those who read it directly.
/// </summary>
internal readonly record struct StreamKeys(RedisKey Log, RedisKey Meta, RedisKey Members, RedisChannel Channel, RedisKey Moderation);
