namespace ChatServer.Protocol;

/// <summary>The room-name rules: <c>#</c> followed by 1–32 of <c>[A-Za-z0-9_-]</c>, compared case-insensitively.</summary>
public static class RoomName
{
    /// <summary>The room every client starts in; it exists even when empty.</summary>
    public const string Lobby = "#lobby";

    /// <summary>The longest name after the <c>#</c>.</summary>
    public const int MaxLength = 32;

    /// <summary>How room names are compared: case-insensitive, ASCII.</summary>
    public static StringComparer Comparer { get; } = StringComparer.OrdinalIgnoreCase;

    /// <summary>The name a live room is registered under, the same for every spelling of <paramref name="name"/>.</summary>
    public static string RegisteredName(string name) => "room:" + name.ToLowerInvariant();

    /// <summary>Whether <paramref name="name"/> obeys the rules.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 1 and <= MaxLength + 1 && name[0] == '#' && name.AsSpan(1).ContainsAnyExcept(Allowed) is false;

    private static readonly System.Buffers.SearchValues<char> Allowed =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
}
