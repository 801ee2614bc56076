namespace ChatServer.Protocol;

/// <summary>
/// The nick rules, the same for every protocol: a letter or <c>_</c> first, then letters, digits, <c>_</c>
/// and <c>-</c>, 1–20 in all, compared case-insensitively (IRC's CASEMAPPING=ascii). By construction a
/// nick holds none of <c>* ! &lt; &gt; [ ]</c> or spaces, so no line can make a nick look like a
/// server notice or another sender.
/// </summary>
public static class NickName
{
    /// <summary>The longest nick.</summary>
    public const int MaxLength = 20;

    /// <summary>How nicks are compared: case-insensitive, ASCII.</summary>
    public static StringComparer Comparer { get; } = StringComparer.OrdinalIgnoreCase;

    /// <summary>Whether <paramref name="nick"/> obeys the rules.</summary>
    public static bool IsValid(string nick) =>
        nick.Length is > 0 and <= MaxLength && (char.IsAsciiLetter(nick[0]) || nick[0] == '_') && nick.All(IsNickChar);

    internal static bool IsNickChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
