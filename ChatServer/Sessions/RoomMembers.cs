using ChatServer.Chat;

namespace ChatServer.Sessions;

/// <summary>A room's name and its members, ordered by nick, with their masks (hidden for people on other nodes) and statuses.</summary>
internal sealed record RoomMembers(string Room, IReadOnlyList<RoomMember> Members)
{
    /// <summary>The members' nicks, in the same order.</summary>
    public IReadOnlyList<string> Nicks => [.. Members.Select(m => m.Nick)];
}
