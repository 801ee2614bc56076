namespace ChatServer.Chat;

/// <summary>
/// A room's channel modes (all but the per-member <c>o</c> and <c>v</c> and the ban list <c>b</c>).
/// A new room starts <see cref="Default"/>, <c>+nt</c>; <c>#lobby</c> keeps it for good.
/// </summary>
public sealed record RoomModes
{
    /// <summary>The modes of a new room: <c>+nt</c>.</summary>
    public static RoomModes Default { get; } = new() { NoOutside = true, TopicLocked = true };

    /// <summary><c>+t</c>: only operators may set the topic.</summary>
    public bool TopicLocked { get; init; }

    /// <summary><c>+n</c>: only members may send to the room.</summary>
    public bool NoOutside { get; init; }

    /// <summary><c>+i</c>: joining needs an invite.</summary>
    public bool InviteOnly { get; init; }

    /// <summary><c>+s</c>: secret: listed (IRC's LIST, the line protocol's /rooms) only to its members.</summary>
    public bool Secret { get; init; }

    /// <summary><c>+m</c>: only voiced members and operators may speak.</summary>
    public bool Moderated { get; init; }

    /// <summary><c>+k</c>: the key a joiner must give, or null.</summary>
    public string? Key { get; init; }

    /// <summary><c>+l</c>: the most members, or null.</summary>
    public int? Limit { get; init; }

    /// <summary>
    /// The modes as IRC's 324 RPL_CHANNELMODEIS writes them: <c>+ntk</c> and the arguments (<c>secret</c>),
    /// in the order n, t, i, m, s, k, l.
    /// </summary>
    public (string Modes, IReadOnlyList<string> Arguments) Describe()
    {
        var modes = "+" + (NoOutside ? "n" : "") + (TopicLocked ? "t" : "") + (InviteOnly ? "i" : "") + (Moderated ? "m" : "") + (Secret ? "s" : "")
            + (Key is null ? "" : "k") + (Limit is null ? "" : "l");
        var arguments = new List<string>(2);
        if (Key is not null)
        {
            arguments.Add(Key);
        }

        if (Limit is { } limit)
        {
            arguments.Add(limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return (modes, arguments);
    }

    /// <summary><c>+ntk secret</c>: the modes and their arguments in one string.</summary>
    public override string ToString()
    {
        var (modes, arguments) = Describe();
        return arguments.Count == 0 ? modes : modes + " " + string.Join(' ', arguments);
    }
}
