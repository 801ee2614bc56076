using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatServer.Chat;
using ChatServer.Decoding;
using ChatServer.Protocol;

namespace ChatServer.Cluster;

/// <summary>
/// One entry of a room's log or a node's inbox in Redis, stored as JSON in the stream field <c>e</c>
/// (the append script adds the log's own sequence number as <c>s</c>). Short property names: every
/// line said in the cluster is one of these.
/// </summary>
internal sealed record ClusterEntry
{
    /// <summary>The format version this build writes and reads; entries of another version are skipped with a log.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The format version.</summary>
    [JsonPropertyName("v")]
    public int Version { get; init; } = CurrentVersion;

    /// <summary>What happened: one of <see cref="EntryKinds"/>.</summary>
    [JsonPropertyName("k")]
    public string Kind { get; init; } = "";

    /// <summary>The node run that wrote it (<c>node#incarnation</c>); empty for entries written by a survivor's clean-up.</summary>
    [JsonPropertyName("o")]
    public string Origin { get; init; } = "";

    /// <summary>The writer's own sequence number, rising by one per entry per log; receivers drop what they have seen. 0: never a duplicate.</summary>
    [JsonPropertyName("q")]
    public long Seq { get; init; }

    /// <summary>The member it is about (<c>node/id</c>).</summary>
    [JsonPropertyName("m")]
    public string Member { get; init; } = "";

    /// <summary>The member's nick at the time.</summary>
    [JsonPropertyName("n")]
    public string Nick { get; init; } = "";

    /// <summary>The line, the reason of a part, quit or kick, the new nick, a topic (empty: cleared), or (<c>invited</c>) the room.</summary>
    [JsonPropertyName("t")]
    public string? Text { get; init; }

    /// <summary>The recipient's nick of a private message; the nick kicked or invited.</summary>
    [JsonPropertyName("to")]
    public string? To { get; init; }

    /// <summary>The member kicked (<c>node/run/process</c>).</summary>
    [JsonPropertyName("tm")]
    public string? Target { get; init; }

    /// <summary>A joiner's status in the room (<see cref="MemberStatus"/>: 2 for the first member of a new room, its operator); null: none.</summary>
    [JsonPropertyName("st")]
    public int? Status { get; init; }

    /// <summary>The changes of a <c>mode</c> entry, as checked by the operator's node, in order.</summary>
    [JsonPropertyName("md")]
    public IReadOnlyList<EntryMode>? Modes { get; init; }

    /// <summary>When it was written, in Unix milliseconds.</summary>
    [JsonPropertyName("at")]
    public long At { get; init; }

    /// <summary>The latest time an entry may carry (the end of year 9999, as <see cref="DateTimeOffset"/> allows).</summary>
    private static readonly long MaxAt = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>When it was written, in this machine's time zone (how history shows it).</summary>
    [JsonIgnore]
    public DateTimeOffset LocalTime => DateTimeOffset.FromUnixTimeMilliseconds(At).ToLocalTime();

    /// <summary>Whether it is an action (<c>/me</c>).</summary>
    [JsonIgnore]
    public bool IsAction => Kind == EntryKinds.Act;

    /// <summary>The kind of room line a <c>say</c>, <c>act</c> or <c>note</c> entry carries.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public LineKind LineKind => Kind switch { EntryKinds.Act => LineKind.Action, EntryKinds.Note => LineKind.Notice, _ => LineKind.Message };

    /// <summary>The entry as stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ClusterEntryJson.Default.ClusterEntry);

    /// <summary>Reads an entry; null with <paramref name="problem"/> set when it is malformed, of another version or of an unknown kind.</summary>
    public static ClusterEntry? Parse(string? json, out string? problem)
    {
        ClusterEntry? entry;
        try
        {
            entry = json is null ? null : JsonSerializer.Deserialize(json, ClusterEntryJson.Default.ClusterEntry);
        }
        catch (JsonException exception)
        {
            problem = "malformed: " + exception.Message;
            return null;
        }

        problem = entry switch
        {
            null => "empty",
            _ when (string?)entry.Kind is null || (string?)entry.Nick is null => "no kind or nick",
            _ when entry.At > MaxAt => "a time past the year 9999",
            { Version: not CurrentVersion } => $"format version {entry.Version}, this node reads {CurrentVersion}",
            _ when !EntryKinds.IsKnown(entry.Kind) => $"unknown kind '{entry.Kind}'",
            _ when !NickName.IsValid(entry.Nick) => "no valid nick",
            { Kind: EntryKinds.Nick } when entry.Text is null || !NickName.IsValid(entry.Text) => "no valid new nick",
            { Kind: EntryKinds.Message } when entry.To is null || !NickName.IsValid(entry.To) => "no valid recipient",
            { Kind: EntryKinds.Kick } when entry.To is null || !NickName.IsValid(entry.To) || string.IsNullOrEmpty(entry.Target) => "no valid member kicked",
            { Kind: EntryKinds.Invite } when entry.To is null || !NickName.IsValid(entry.To) => "no valid invitee",
            { Kind: EntryKinds.Invited } when entry.Text is null || !RoomName.IsValid(entry.Text) => "no valid room",
            { Kind: EntryKinds.Mode } when entry.Modes is not { Count: > 0 and <= EntryMode.MaxPerEntry } || !entry.Modes.All(EntryMode.IsValid) => "no valid mode changes",
            _ when entry.Status is < 0 or > (int)(MemberStatus.Op | MemberStatus.Voice) => "no valid status",
            _ => null,
        };
        if (problem is not null)
        {
            return null;
        }

        // JSON may leave out (or null) what this build's properties default: an entry written by something else.
        if ((string?)entry!.Member is null || (string?)entry.Origin is null || entry.At <= 0)
        {
            entry = entry with { Member = (string?)entry.Member ?? "", Origin = (string?)entry.Origin ?? "", At = entry.At > 0 ? entry.At : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        }

        // Written by a node that sanitised it, unless something else wrote it: the same rules as for input, at the cost of one scan.
        // IRC's codes are kept, as on the IRC port: line users' format strips them, IRC users on every node get them.
        return entry.Text is { } text && TextSanitizer.Sanitize(text, keepIrcCodes: true) is var clean && !ReferenceEquals(clean, text) ? entry with { Text = clean } : entry;
    }
}

/// <summary>One change of a <c>mode</c> entry: a <see cref="ModeChange"/> as the operator's node checked and normalised it, with the member it is about for <c>o</c> and <c>v</c>.</summary>
internal sealed record EntryMode
{
    /// <summary>The most changes one entry carries.</summary>
    public const int MaxPerEntry = 64;

    /// <summary>Set (true) or removed.</summary>
    [JsonPropertyName("a")]
    public bool Add { get; init; }

    /// <summary>The mode character, one of <see cref="ModeChange.Known"/>.</summary>
    [JsonPropertyName("c")]
    public char Mode { get; init; }

    /// <summary>The nick, mask, key or limit.</summary>
    [JsonPropertyName("r")]
    public string? Argument { get; init; }

    /// <summary>The member (<c>node/run/process</c>) an <c>o</c> or <c>v</c> change is about.</summary>
    [JsonPropertyName("tm")]
    public string? Target { get; init; }

    /// <summary>The change as the room applies it.</summary>
    public PlannedMode ToPlanned() => new(new ModeChange(Add, Mode, Argument), Target);

    /// <summary>The entry form of <paramref name="planned"/>.</summary>
    public static EntryMode From(PlannedMode planned) =>
        new() { Add = planned.Change.Add, Mode = planned.Change.Mode, Argument = planned.Change.Argument, Target = planned.Member };

    /// <summary>Whether a change read from Redis is one the room can apply: the same rules as for a request (something else may have written it).</summary>
    public static bool IsValid(EntryMode change) => change.Mode switch
    {
        'o' or 'v' => change.Argument is { } nick && NickName.IsValid(nick) && !string.IsNullOrEmpty(change.Target),
        'b' => change.Argument is { } mask && MaskPattern.IsValid(mask) && MaskPattern.Normalize(mask) == mask,
        'k' when change.Add => change.Argument is { } key && RoomModeration.IsValidKey(key),
        'l' when change.Add => int.TryParse(change.Argument, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is > 0 and <= RoomModeration.MaxLimit,
        'k' or 'l' or 'm' or 'n' or 't' or 'i' or 's' => true,
        _ => false,
    };
}

/// <summary>Source-generated JSON for <see cref="ClusterEntry"/>: no reflection per line.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClusterEntry))]
internal sealed partial class ClusterEntryJson : JsonSerializerContext;
