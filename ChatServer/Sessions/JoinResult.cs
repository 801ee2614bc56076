using ChatServer.Chat;

namespace ChatServer.Sessions;

/// <summary>What a join did.</summary>
/// <param name="Room">The room's name as the room spells it (as asked for, when refused).</param>
/// <param name="OthersHere">How many others are in it; -1 when the person was in it already (it is now current).</param>
/// <param name="Refusal">Why the room refused the person (then nothing changed: not joined, not announced), or <see cref="JoinRefusal.None"/>.</param>
/// <param name="Topic">The room's topic, to show the joiner; null when it has none (and when the person was in it already, or was refused).</param>
internal readonly record struct JoinResult(string Room, int OthersHere, JoinRefusal Refusal = JoinRefusal.None, RoomTopic? Topic = null)
{
    /// <summary>The person was a member already; the room was only made current.</summary>
    public bool WasMember => OthersHere < 0 && Refusal == JoinRefusal.None;

    /// <summary>Whether the room refused the person.</summary>
    public bool IsRefused => Refusal != JoinRefusal.None;
}
