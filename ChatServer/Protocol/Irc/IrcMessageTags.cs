using System.Text;

namespace ChatServer.Protocol.Irc;

/// <summary>The tags a relayed PRIVMSG, NOTICE or TAGMSG carries (IRCv3 message-tags): a fresh <c>msgid</c> and the sender's client-only (<c>+</c>) tags.</summary>
internal static class IrcMessageTags
{
    /// <summary><c>msgid=...</c> followed by the client-only tags of <paramref name="message"/>, escaped for the wire.</summary>
    public static string ForRelay(IrcMessage message)
    {
        var tags = new StringBuilder("msgid=").Append(Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64())));
        foreach (var (key, value) in message.Tags)
        {
            if (key.StartsWith('+') && key.Length > 1)
            {
                tags.Append(';').Append(key);
                if (value.Length > 0)
                {
                    tags.Append('=').Append(IrcTagValue.Escape(value));
                }
            }
        }

        return tags.ToString();
    }
}
