namespace ChatServer.Chat;

/// <summary>What kind of line someone says in a room.</summary>
public enum LineKind
{
    /// <summary>A plain message (IRC's PRIVMSG).</summary>
    Message,

    /// <summary>An action: the line protocol's <c>/me</c>, IRC's CTCP ACTION.</summary>
    Action,

    /// <summary>A notice (IRC's NOTICE): never to be answered automatically.</summary>
    Notice,

    /// <summary>Tags without text (IRC's TAGMSG: typing notices, reactions): only for IRC clients with message-tags, kept in no history, relayed on this node only.</summary>
    Tags,
}
