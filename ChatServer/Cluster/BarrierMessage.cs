using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatServer.Cluster;

/// <summary>
/// What nodes say to each other on their barrier channels (<c>{chat}:node:NAME:barrier</c>), as JSON with a
/// format version like the log entries: a request (<c>req</c>) asks the node that gets it to deliver logs up to
/// given ids and answer; an acknowledgement (<c>ack</c>) says it has. Anything else is skipped with a warning.
/// </summary>
internal sealed record BarrierMessage
{
    /// <summary>A request: deliver these logs up to these ids, then answer.</summary>
    public const string Request = "req";

    /// <summary>An acknowledgement: delivered.</summary>
    public const string Ack = "ack";

    /// <summary>The format version.</summary>
    [JsonPropertyName("v")]
    public int Version { get; init; } = ClusterEntry.CurrentVersion;

    /// <summary><see cref="Request"/> or <see cref="Ack"/>.</summary>
    [JsonPropertyName("k")]
    public string Kind { get; init; } = "";

    /// <summary>The node that sends it: where an acknowledgement goes, or who acknowledges.</summary>
    [JsonPropertyName("n")]
    public string Node { get; init; } = "";

    /// <summary>The requesting node's run (<see cref="ClusterNode.Origin"/>): a restarted node ignores acknowledgements meant for its previous run.</summary>
    [JsonPropertyName("r")]
    public string Run { get; init; } = "";

    /// <summary>The requester's number for the barrier.</summary>
    [JsonPropertyName("t")]
    public long Token { get; init; }

    /// <summary>A request's logs: a room by name, or (no room) the inbox of the node that gets it.</summary>
    [JsonPropertyName("l")]
    public IReadOnlyList<BarrierLog>? Logs { get; init; }

    /// <summary>The message as published.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, BarrierMessageJson.Default.BarrierMessage);

    /// <summary>Reads a message; null with <paramref name="problem"/> set when it is malformed, of another version or of an unknown kind.</summary>
    public static BarrierMessage? Parse(string? json, out string? problem)
    {
        BarrierMessage? message;
        try
        {
            message = json is null ? null : JsonSerializer.Deserialize(json, BarrierMessageJson.Default.BarrierMessage);
        }
        catch (JsonException exception)
        {
            problem = "malformed: " + exception.Message;
            return null;
        }

        problem = message switch
        {
            null => "empty",
            { Version: not ClusterEntry.CurrentVersion } => $"format version {message.Version}, this node reads {ClusterEntry.CurrentVersion}",
            _ when string.IsNullOrEmpty(message.Node) || !ClusterNames.IsValid(message.Node) || (string?)message.Run is null => "no valid node",
            { Kind: Ack } => null,
            { Kind: Request, Logs: { Count: > 0 } logs } when logs.All(log => log is not null && IsValid(log)) => null,
            { Kind: Request } => "no valid logs",
            _ => $"unknown kind '{message.Kind}'",
        };
        return problem is null ? message : null;
    }

    private static bool IsValid(BarrierLog log)
    {
        try
        {
            return (log.Room is null || Protocol.RoomName.IsValid(log.Room)) && StreamId.Parse(log.UpTo) != StreamId.None;
        }
        catch (Exception exception) when (exception is FormatException or OverflowException)
        {
            return false;
        }
    }
}

/// <summary>One log of a barrier request: a room (<see cref="Room"/>) or, when null, the inbox of the node asked; delivered up to <see cref="UpTo"/>.</summary>
internal sealed record BarrierLog
{
    /// <summary>The room's name, or null for the inbox.</summary>
    [JsonPropertyName("room")]
    public string? Room { get; init; }

    /// <summary>The stream id to deliver up to.</summary>
    [JsonPropertyName("id")]
    public string UpTo { get; init; } = "";
}

/// <summary>Source-generated JSON for <see cref="BarrierMessage"/>.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BarrierMessage))]
internal sealed partial class BarrierMessageJson : JsonSerializerContext;
