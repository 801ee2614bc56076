namespace ChatServer.Chat;

/// <summary>
/// Ban masks, IRC's <c>nick!user@host</c> with wildcards: <c>*</c> any run of characters, <c>?</c> any
/// one, compared case-insensitively (ASCII). A mask is normalised before it is kept, as IRC servers do:
/// <c>bob</c> is <c>bob!*@*</c>, <c>*@host</c> is <c>*!*@host</c>, <c>bob!x</c> is <c>bob!x@*</c>.
/// A member is matched with its nick, its <see cref="PersonMask"/>'s user (the nick for a line-protocol
/// user) and its cloaked host, each part against its own part of the mask (no wildcard spans a
/// <c>!</c> or <c>@</c>), so matching allocates nothing: rooms check it on every line from a member while bans exist.
/// </summary>
public static class MaskPattern
{
    /// <summary>The longest mask kept.</summary>
    public const int MaxLength = 100;

    /// <summary>Whether <paramref name="mask"/> can be a ban mask: 1 to <see cref="MaxLength"/> characters, no spaces, commas or control characters, at most one <c>!</c>.</summary>
    public static bool IsValid(string mask) =>
        mask.Length is > 0 and <= MaxLength
        && !mask.AsSpan().ContainsAny(' ', ',')
        && !mask.AsSpan().ContainsAnyInRange('\0', '\x1f')
        && mask.AsSpan().Count('!') <= 1;

    /// <summary>The full <c>nick!user@host</c> form of <paramref name="mask"/>; a missing or empty part is <c>*</c>.</summary>
    public static string Normalize(string mask)
    {
        var bang = mask.IndexOf('!', StringComparison.Ordinal);
        var at = mask.LastIndexOf('@');
        string nick, user, host;
        if (bang < 0 && at < 0)
        {
            (nick, user, host) = (mask, "*", "*");
        }
        else if (bang < 0)
        {
            (nick, user, host) = ("*", mask[..at], mask[(at + 1)..]);
        }
        else if (at < bang)
        {
            (nick, user, host) = (mask[..bang], mask[(bang + 1)..], "*");
        }
        else
        {
            (nick, user, host) = (mask[..bang], mask[(bang + 1)..at], mask[(at + 1)..]);
        }

        return $"{Part(nick)}!{Part(user)}@{Part(host)}";
    }

    /// <summary>Whether the normalised <paramref name="mask"/> matches the member <paramref name="nick"/> with <paramref name="person"/>.</summary>
    public static bool Matches(string mask, string nick, PersonMask person)
    {
        var bang = mask.IndexOf('!', StringComparison.Ordinal);
        var at = mask.LastIndexOf('@');
        if (bang < 0 || at < bang)
        {
            return false;
        }

        var span = mask.AsSpan();
        return Wildcard(span[..bang], nick)
            && Wildcard(span[(bang + 1)..at], person.UserFor(nick))
            && Wildcard(span[(at + 1)..], person.Host);
    }

    /// <summary>Whether <paramref name="pattern"/> (<c>*</c>, <c>?</c>) matches all of <paramref name="text"/>, ignoring ASCII case.</summary>
    public static bool Wildcard(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // The usual greedy match with one backtrack point: the last star seen, and where in the text it stood.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t])) && pattern[p] != '*')
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static string Part(string part) => part.Length == 0 ? "*" : part;
}
