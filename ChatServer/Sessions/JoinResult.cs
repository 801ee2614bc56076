namespace ChatServer.Sessions;

/// <summary>What a join did.</summary>
/// <param name="Room">The room's name as the room spells it.</param>
/// <param name="OthersHere">How many others are in it; -1 when the person was in it already (it is now current).</param>
internal readonly record struct JoinResult(string Room, int OthersHere)
{
    /// <summary>The person was a member already; the room was only made current.</summary>
    public bool WasMember => OthersHere < 0;
}
