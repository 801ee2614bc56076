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
}
