namespace ChatServer.Sessions;

/// <summary>What a part did.</summary>
/// <param name="Room">The room left, or null when the person was not in it (or in no room).</param>
/// <param name="Current">The current room afterwards, or null.</param>
internal readonly record struct PartResult(string? Room, string? Current);
