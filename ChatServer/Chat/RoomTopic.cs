namespace ChatServer.Chat;

/// <summary>A room's topic: what it is, who set it and when (IRC's 332 and 333).</summary>
/// <param name="Text">The topic, never empty (a cleared topic is no topic).</param>
/// <param name="SetBy">The nick of whoever set it (for <c>#lobby</c>: <see cref="ServerSetter"/>).</param>
/// <param name="SetAt">When it was set.</param>
public sealed record RoomTopic(string Text, string SetBy, DateTimeOffset SetAt)
{
    /// <summary>The longest topic kept, in characters (IRC's TOPICLEN): a longer one is cut.</summary>
    public const int MaxLength = 390;

    /// <summary>Who set a topic that comes from the server's options (<c>--lobby-topic</c>).</summary>
    public const string ServerSetter = "SupervisedChat";
}
