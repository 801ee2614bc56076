namespace ChatServer.Network;

/// <summary>Why the acceptor turns a connection away: the text the peer is told and the bounded tag it is counted under.</summary>
/// <param name="Text">What the peer is told (in its protocol's refusal line) and what the log says.</param>
/// <param name="Tag">The <c>reason</c> label of <c>chat.connections.refused</c>.</param>
internal sealed record RefusalReason(string Text, string Tag)
{
    /// <summary>The clients supervisor has <c>--max-clients</c> children.</summary>
    public static RefusalReason Full { get; } = new("server full", "full");

    /// <summary>The address has <c>--max-per-ip</c> connections open.</summary>
    public static RefusalReason PerAddress { get; } = new("too many connections from your address", "per_address");

    /// <summary>The clients supervisor is not running (it is restarting).</summary>
    public static RefusalReason Restarting { get; } = new("server restarting, try again", "restarting");
}
