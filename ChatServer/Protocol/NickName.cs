namespace ChatServer.Protocol;

/// <summary>
/// The nick rules: 1–20 of <c>[A-Za-z0-9_-]</c>, compared case-insensitively. By construction a
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
    public static bool IsValid(string nick) => nick.Length is > 0 and <= MaxLength && nick.All(IsNickChar);

    internal static bool IsNickChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
