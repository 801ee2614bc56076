using System.Globalization;
using System.Text.Json;
using ChatServer.Chat;
using ChatServer.Decoding;
using ChatServer.Protocol;

namespace ChatServer.Cluster;

/// <summary>
/// A room's moderation state as Redis keeps it (the <c>:mod</c> hash of <see cref="ClusterScripts.AppendBatch"/>),
/// read when a room attaches to its log: what a node that opens the room late starts from. Read with the
/// same care as an entry: a field that something else wrote, or that does not parse, is left out, never thrown on.
/// </summary>
/// <param name="Modes">The channel modes (a new room's where none are kept).</param>
/// <param name="Topic">The topic, or null.</param>
/// <param name="Bans">The bans.</param>
/// <param name="Statuses">Operators and voiced members, by member id.</param>
/// <param name="Invited">The nicks invited and not yet joined.</param>
internal sealed record ModerationState(
    RoomModes Modes,
    RoomTopic? Topic,
    IReadOnlyList<BanEntry> Bans,
    IReadOnlyList<KeyValuePair<string, MemberStatus>> Statuses,
    IReadOnlyList<string> Invited)
{
    /// <summary>The state in <paramref name="fields"/>; statuses only of members for whom <paramref name="isMember"/> holds.</summary>
    public static ModerationState Read(IReadOnlyList<KeyValuePair<string, string>> fields, Func<string, bool> isMember)
    {
        var modes = RoomModes.Default;
        RoomTopic? topic = null;
        var bans = new List<BanEntry>();
        var statuses = new Dictionary<string, MemberStatus>(StringComparer.Ordinal);
        var invited = new List<string>();
        foreach (var (field, value) in fields)
        {
            switch (field)
            {
                case "m" or "n" or "t" or "i" or "s":
                    modes = SetFlag(modes, field[0], value == "1");
                    break;
                case "k" when RoomModeration.IsValidKey(value):
                    modes = modes with { Key = value };
                    break;
                case "l" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is > 0 and <= RoomModeration.MaxLimit:
                    modes = modes with { Limit = limit };
                    break;
                case "topic" when ReadStamped(value, "t") is { } stamped && stamped.Text.Length > 0:
                    topic = new RoomTopic(TextSanitizer.Sanitize(stamped.Text), stamped.Nick, stamped.At);
                    break;
                case ['o' or 'v', ':', ..] when isMember(field[2..]):
                    var flag = field[0] == 'o' ? MemberStatus.Op : MemberStatus.Voice;
                    statuses[field[2..]] = statuses.GetValueOrDefault(field[2..]) | flag;
                    break;
                case ['b', ':', ..] when ReadStamped(value, "m") is { } ban && MaskPattern.IsValid(ban.Text):
                    bans.Add(new BanEntry(MaskPattern.Normalize(ban.Text), ban.Nick, ban.At));
                    break;
                case ['i', 'n', 'v', ':', ..] when NickName.IsValid(field[4..]):
                    invited.Add(field[4..]);
                    break;
            }
        }

        bans.Sort((a, b) => a.SetAt.CompareTo(b.SetAt));
        return new ModerationState(modes, topic, bans, [.. statuses], invited);
    }

    private static RoomModes SetFlag(RoomModes modes, char flag, bool on) => flag switch
    {
        'm' => modes with { Moderated = on },
        'n' => modes with { NoOutside = on },
        't' => modes with { TopicLocked = on },
        's' => modes with { Secret = on },
        _ => modes with { InviteOnly = on },
    };

    /// <summary>A JSON value <c>{"TEXT": ..., "n": nick, "at": unix ms}</c> as the scripts write it, or null.</summary>
    private static (string Text, string Nick, DateTimeOffset At)? ReadStamped(string json, string textField)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty(textField, out var text) && text.ValueKind == JsonValueKind.String
                && root.TryGetProperty("n", out var nick) && nick.ValueKind == JsonValueKind.String && NickName.IsValid(nick.GetString()!)
                && root.TryGetProperty("at", out var at) && at.TryGetDouble(out var ms) && ms is > 0 and < 253402300800000)
            {
                return (text.GetString()!, nick.GetString()!, DateTimeOffset.FromUnixTimeMilliseconds((long)ms));
            }
        }
        catch (JsonException)
        {
            // Not what the scripts write: left out.
        }

        return null;
    }
}
