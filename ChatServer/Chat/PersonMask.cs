namespace ChatServer.Chat;

/// <summary>
/// The <c>user@host</c> half of how a person is shown to IRC clients and matched by bans
/// (<c>nick!user@host</c>). The host is always a cloak, never an address; a line-protocol user has
/// no user name of its own and is shown as <c>nick!nick@host</c>. Immutable: a member's mask is fixed before it registers.
/// </summary>
/// <param name="User">The user name given with IRC's <c>USER</c>, or null (then the nick stands in).</param>
/// <param name="Host">The cloaked host.</param>
public sealed record PersonMask(string? User, string Host)
{
    /// <summary>The mask of someone whose host this server does not know (a person on another node).</summary>
    public static PersonMask Hidden { get; } = new(null, "hidden");

    /// <summary>The "real name" given with IRC's <c>USER</c>, or null (then the nick stands in).</summary>
    public string? RealName { get; init; }

    /// <summary>The user name shown for <paramref name="nick"/>.</summary>
    public string UserFor(string nick) => User ?? nick;

    /// <summary>The full <c>nick!user@host</c>.</summary>
    public string Format(string nick) => $"{nick}!{UserFor(nick)}@{Host}";
}
