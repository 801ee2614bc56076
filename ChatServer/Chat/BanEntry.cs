namespace ChatServer.Chat;

/// <summary>One ban of a room (<c>+b</c>, IRC's 367): a normalised <c>nick!user@host</c> mask (<see cref="MaskPattern"/>), who set it and when.</summary>
public sealed record BanEntry(string Mask, string SetBy, DateTimeOffset SetAt);
