namespace ChatServer.Sessions;

/// <summary>A room's name and its members' nicks, ordered.</summary>
internal sealed record RoomMembers(string Room, IReadOnlyList<string> Nicks);
