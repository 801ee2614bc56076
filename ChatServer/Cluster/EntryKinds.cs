using ChatServer.Chat;

namespace ChatServer.Cluster;

/// <summary>The kinds of <see cref="ClusterEntry"/>.</summary>
internal static class EntryKinds
{
    /// <summary>A line said in a room.</summary>
    public const string Say = "say";

    /// <summary>An action (<c>/me</c>) in a room.</summary>
    public const string Act = "act";

    /// <summary>A notice said in a room (IRC's NOTICE).</summary>
    public const string Note = "note";

    /// <summary>The entry kind of a room line of <paramref name="kind"/>.</summary>
    public static string OfLine(LineKind kind) => kind switch { LineKind.Action => Act, LineKind.Notice => Note, _ => Say };

    /// <summary>A member joined.</summary>
    public const string Join = "join";

    /// <summary>A member parted (reason in the text).</summary>
    public const string Part = "part";

    /// <summary>A member quit (reason in the text), or its node was lost.</summary>
    public const string Quit = "quit";

    /// <summary>A member's process ended without leaving.</summary>
    public const string Lost = "lost";

    /// <summary>A member changed nick (the new one in the text).</summary>
    public const string Nick = "nick";

    /// <summary>A private message (in a node's inbox).</summary>
    public const string Message = "msg";

    /// <summary>An operator set (or, with empty text, cleared) the room's topic.</summary>
    public const string Topic = "topic";

    /// <summary>An operator changed the room's modes (<see cref="ClusterEntry.Modes"/>).</summary>
    public const string Mode = "mode";

    /// <summary>An operator kicked a member (<see cref="ClusterEntry.Target"/>, nick in <c>to</c>, reason in the text).</summary>
    public const string Kick = "kick";

    /// <summary>A member invited a nick (in <c>to</c>) to the room.</summary>
    public const string Invite = "invite";

    /// <summary>A person was invited to a room (in a node's inbox: the member is the invitee, the room in the text).</summary>
    public const string Invited = "invited";

    /// <summary>The entry kind of a member leaving by <paramref name="kind"/>.</summary>
    public static string OfLeave(LeaveKind kind) => kind switch
    {
        LeaveKind.Part => Part,
        LeaveKind.Quit => Quit,
        _ => Lost,
    };

    /// <summary>How a member left, from a leaving entry's <paramref name="kind"/>.</summary>
    public static LeaveKind LeaveOf(string kind) => kind switch
    {
        Part => LeaveKind.Part,
        Quit => LeaveKind.Quit,
        _ => LeaveKind.ConnectionLost,
    };

    /// <summary>Whether <paramref name="kind"/> is one this build knows.</summary>
    public static bool IsKnown(string kind) => kind is Say or Act or Note or Join or Part or Quit or Lost or Nick or Message or Topic or Mode or Kick or Invite or Invited;
}
