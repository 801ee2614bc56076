namespace ChatServer.Cluster;

/// <summary>The membership change an append makes in the log's members hash (<see cref="ClusterScripts.Append"/>).</summary>
internal static class AppendEffects
{
    /// <summary>None: something said, a private message.</summary>
    public const string Line = "line";

    /// <summary>The member is added.</summary>
    public const string Join = "join";

    /// <summary>The member is removed.</summary>
    public const string Leave = "leave";

    /// <summary>The member's nick changes.</summary>
    public const string Nick = "nick";

    /// <summary>The room's moderation state changes as the entry (a topic, mode, kick or invite) says; a kick removes the member kicked.</summary>
    public const string Moderation = "mod";

    /// <summary>The member is added with <paramref name="status"/> in the room (<c>join:o</c>, <c>join:v</c>, <c>join:ov</c>), or without (<c>join</c>).</summary>
    public static string JoinWith(Chat.MemberStatus status) => status switch
    {
        Chat.MemberStatus.None => Join,
        Chat.MemberStatus.Op => "join:o",
        Chat.MemberStatus.Voice => "join:v",
        _ => "join:ov",
    };
}
