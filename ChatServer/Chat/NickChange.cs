namespace ChatServer.Chat;

/// <summary>The outcome of a nick change request.</summary>
public enum NickChange
{
    /// <summary>The nick is now the member's.</summary>
    Changed,

    /// <summary>The member already has exactly this nick.</summary>
    Unchanged,

    /// <summary>Another member holds the nick (compared case-insensitively).</summary>
    Taken,
}
