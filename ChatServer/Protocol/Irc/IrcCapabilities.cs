namespace ChatServer.Protocol.Irc;

/// <summary>The IRCv3 capabilities this server offers (<c>CAP LS</c>); a connection holds the ones it enabled.</summary>
[Flags]
internal enum IrcCapabilities
{
    /// <summary>None enabled.</summary>
    None = 0,

    /// <summary><c>cap-notify</c>: told of capabilities that come and go (implied by <c>CAP LS 302</c>).</summary>
    CapNotify = 1 << 0,

    /// <summary><c>server-time</c>: a <c>time</c> tag on messages, history included.</summary>
    ServerTime = 1 << 1,

    /// <summary><c>message-tags</c>: tags on messages (<c>msgid</c>), client-only tags relayed, <c>TAGMSG</c>.</summary>
    MessageTags = 1 << 2,

    /// <summary><c>echo-message</c>: the sender receives its own messages back.</summary>
    EchoMessage = 1 << 3,

    /// <summary><c>multi-prefix</c>: every status prefix in NAMES and WHO (<c>@+nick</c>).</summary>
    MultiPrefix = 1 << 4,

    /// <summary><c>away-notify</c>: told when people in shared rooms go away or come back.</summary>
    AwayNotify = 1 << 5,

    /// <summary><c>batch</c>: history playback wrapped in a <c>chathistory</c> batch.</summary>
    Batch = 1 << 6,

    /// <summary><c>userhost-in-names</c>: NAMES lists <c>nick!user@host</c>.</summary>
    UserhostInNames = 1 << 7,
}

/// <summary>The names of <see cref="IrcCapabilities"/> on the wire.</summary>
internal static class IrcCapabilityNames
{
    /// <summary>Every capability offered, with its wire name, in the order <c>CAP LS</c> lists them.</summary>
    public static IReadOnlyList<(string Name, IrcCapabilities Flag)> All { get; } =
    [
        ("away-notify", IrcCapabilities.AwayNotify),
        ("batch", IrcCapabilities.Batch),
        ("cap-notify", IrcCapabilities.CapNotify),
        ("echo-message", IrcCapabilities.EchoMessage),
        ("message-tags", IrcCapabilities.MessageTags),
        ("multi-prefix", IrcCapabilities.MultiPrefix),
        ("server-time", IrcCapabilities.ServerTime),
        ("userhost-in-names", IrcCapabilities.UserhostInNames),
    ];

    /// <summary>The flag of <paramref name="name"/>, or <see cref="IrcCapabilities.None"/> for a capability not offered.</summary>
    public static IrcCapabilities Find(string name)
    {
        foreach (var (known, flag) in All)
        {
            if (known == name)
            {
                return flag;
            }
        }

        return IrcCapabilities.None;
    }

    /// <summary>The names of the capabilities in <paramref name="set"/>, space-separated.</summary>
    public static string Names(IrcCapabilities set) => string.Join(' ', All.Where(c => set.HasFlag(c.Flag)).Select(c => c.Name));
}
