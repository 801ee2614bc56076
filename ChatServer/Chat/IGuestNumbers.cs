namespace ChatServer.Chat;

/// <summary>
/// Where presence takes the number of each guest nick (<c>guestN</c>) from. It outlives any one
/// presence incarnation, so that numbering continues after a restart instead of handing out
/// <c>guest1</c> a second time. The seam for a counter shared by several servers (a cluster).
/// </summary>
public interface IGuestNumbers
{
    /// <summary>A number never returned before by this counter: 1, then 2, and so on.</summary>
    long Next();
}
