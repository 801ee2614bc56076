namespace ChatServer.Chat;

/// <summary>What every room is configured with; validated with the server's options.</summary>
public sealed record RoomOptions
{
    /// <summary>
    /// How many messages a room keeps and replays to a joiner.
    /// <value>The default is 20.</value>
    /// </summary>
    public int HistoryLength { get; init; } = 20;

    /// <summary>
    /// The most members a room may have and still announce joins, parts, quits and nick changes;
    /// in a larger room they pass silently (<c>/who</c> still lists the members), because there
    /// they are noise for people and N² lines for the server. 0 means always announce.
    /// <value>The default is 100.</value>
    /// </summary>
    public int AnnounceLimit { get; init; } = 100;
}
