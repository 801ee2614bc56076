namespace ChatServer.Chat;

/// <summary>One member of a room as <c>/who</c> and IRC's NAMES and WHO show it.</summary>
/// <param name="Nick">The member's nick.</param>
/// <param name="Mask">Its <c>user@host</c>; <see cref="PersonMask.Hidden"/> for a member on another node.</param>
/// <param name="Status">Operator and voice, as known cluster-wide.</param>
public sealed record RoomMember(string Nick, PersonMask Mask, MemberStatus Status);
