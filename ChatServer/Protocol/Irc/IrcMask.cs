namespace ChatServer.Protocol.Irc;

/// <summary>IRC's wildcard masks: <c>*</c> any run of characters, <c>?</c> one character, compared case-insensitively (CASEMAPPING=ascii).</summary>
internal static class IrcMask
{
    /// <summary>Whether <paramref name="text"/> matches <paramref name="mask"/>.</summary>
    public static bool Matches(ReadOnlySpan<char> mask, ReadOnlySpan<char> text)
    {
        // Greedy with one backtrack point, the usual linear-time glob.
        int m = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (m < mask.Length && (mask[m] == '?' || char.ToLowerInvariant(mask[m]) == char.ToLowerInvariant(text[t])))
            {
                m++;
                t++;
            }
            else if (m < mask.Length && mask[m] == '*')
            {
                star = m++;
                resume = t;
            }
            else if (star >= 0)
            {
                m = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (m < mask.Length && mask[m] == '*')
        {
            m++;
        }

        return m == mask.Length;
    }
}
