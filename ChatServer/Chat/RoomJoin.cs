namespace ChatServer.Chat;

/// <summary>What a room answered a joiner.</summary>
/// <param name="OthersHere">How many others are in the room (0 when refused).</param>
/// <param name="Refusal">Why the room refused the joiner, or <see cref="JoinRefusal.None"/>: joined.</param>
/// <param name="Topic">The room's topic, shown to a joiner; null when it has none or refused.</param>
public readonly record struct RoomJoin(int OthersHere, JoinRefusal Refusal, RoomTopic? Topic);
