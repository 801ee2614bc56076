namespace ChatServer.Chat;

/// <summary>
/// What others may learn about a person beyond the nick and mask (IRC's user modes and AWAY). Immutable:
/// the member's worker replaces it whole, and others read it from their own threads.
/// </summary>
/// <param name="Away">The away message, or null while present.</param>
/// <param name="IsOperator">Whether the person is a server operator (IRC's <c>OPER</c>, user mode <c>+o</c>).</param>
/// <param name="IsInvisible">Whether the person hides from WHO masks of people who share no room with it (user mode <c>+i</c>).</param>
public sealed record PersonStatus(string? Away, bool IsOperator, bool IsInvisible)
{
    /// <summary>Present, no operator, visible: everyone at first.</summary>
    public static PersonStatus Plain { get; } = new(null, false, false);
}
