using ChatServer.Protocol;

namespace ChatServer.Chat;

/// <summary>How one protocol writes chat events. One instance per protocol: <see cref="ChatEvent.Encode"/> caches by instance.</summary>
public interface IChatEventFormat
{
    /// <summary>The line that tells a person <paramref name="chatEvent"/>.</summary>
    OutboundLine Format(ChatEvent chatEvent);
}
