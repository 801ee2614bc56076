using ChatServer.Chat;

namespace ChatServer.Sessions;

/// <summary>The answer to a topic query.</summary>
/// <param name="Result"><see cref="ModerationResult.Done"/>, <see cref="ModerationResult.NoSuchRoom"/>, or <see cref="ModerationResult.NotInRoom"/> (no room named and none current).</param>
/// <param name="Room">The room's name as the room spells it, or null when there is none.</param>
/// <param name="Topic">The topic, or null when the room has none (IRC's 331).</param>
internal sealed record TopicResult(ModerationResult Result, string? Room, RoomTopic? Topic);
