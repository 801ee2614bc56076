namespace ChatServer.Chat;

/// <summary>How a member left a room.</summary>
public enum LeaveKind
{
    /// <summary>It parted (<c>/part</c>).</summary>
    Part,

    /// <summary>It quit the server (<c>/quit</c>, a close, a shutdown).</summary>
    Quit,

    /// <summary>Its process ended without leaving (a crash, a kill).</summary>
    ConnectionLost,
}
