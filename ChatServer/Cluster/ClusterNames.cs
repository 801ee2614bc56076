namespace ChatServer.Cluster;

/// <summary>The rule for cluster and node names: they become parts of Redis keys, so only characters that need no quoting there.</summary>
public static class ClusterNames
{
    /// <summary>The longest cluster or node name.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="name"/> is 1 to <see cref="MaxLength"/> of <c>A-Z a-z 0-9 . _ -</c>.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
