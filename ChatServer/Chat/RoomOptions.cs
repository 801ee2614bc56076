using ChatServer.Hosting;

namespace ChatServer.Chat;

/// <summary>What every room is configured with; validated with the server's options, whose defaults it takes.</summary>
public sealed record RoomOptions
{
    /// <summary>How many messages a room keeps and replays to a joiner (<see cref="ChatServerOptions.HistoryLength"/>).</summary>
    public int HistoryLength { get; init; } = ChatServerOptions.Defaults.HistoryLength;

    /// <summary>
    /// The most members a room may have and still announce joins, parts, quits and nick changes;
    /// in a larger room they pass silently (<c>/who</c> still lists the members), because there
    /// they are noise for people and N² lines for the server. 0 means always announce (<see cref="ChatServerOptions.AnnounceLimit"/>).
    /// </summary>
    public int AnnounceLimit { get; init; } = ChatServerOptions.Defaults.AnnounceLimit;

    /// <summary>The topic of <c>#lobby</c>, fixed while the server runs; empty: none (<see cref="ChatServerOptions.LobbyTopic"/>).</summary>
    public string LobbyTopic { get; init; } = ChatServerOptions.Defaults.LobbyTopic;

    /// <summary>The room options of a server started with <paramref name="options"/>.</summary>
    public static RoomOptions From(ChatServerOptions options) =>
        new() { HistoryLength = options.HistoryLength, AnnounceLimit = options.AnnounceLimit, LobbyTopic = options.LobbyTopic };
}
