using System.Reflection;
using ChatServer.Hosting;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// What every IRC connection of one server shares: its name in numerics and prefixes, the password, the
/// limits it advertises (RPL_ISUPPORT) and applies, and the event formats (one per combination of the
/// capabilities that change how events are written, so a room's line is written once per combination).
/// </summary>
internal sealed class IrcServer
{
    /// <summary>The network's name in RPL_ISUPPORT.</summary>
    public const string NetworkName = "SupervisedChat";

    /// <summary>The longest topic, in characters (TOPICLEN).</summary>
    public const int TopicLength = Chat.RoomTopic.MaxLength;

    /// <summary>The longest kick reason (KICKLEN).</summary>
    public const int KickLength = 300;

    /// <summary>The longest away message (AWAYLEN).</summary>
    public const int AwayLength = 200;

    /// <summary>The most rooms one IRC connection may be in (CHANLIMIT): each room is a worker with its history.</summary>
    public const int MaxRooms = 50;

    /// <summary>The most targets of one PRIVMSG, NOTICE, JOIN, PART, or nicks of one KICK (TARGMAX); more are dropped.</summary>
    public const int MaxTargets = 10;

    /// <summary>The most mode changes with a parameter in one MODE command (MODES); more are dropped.</summary>
    public const int MaxModes = 4;

    /// <summary>The event formats, indexed by the bits of <see cref="FormatBits"/>.</summary>
    private readonly IrcEventFormat[] _formats;

    /// <summary>The IRC side of a server started with <paramref name="options"/>.</summary>
    public IrcServer(ChatServerOptions options)
    {
        Name = options.ServerName;
        Password = options.IrcPassword;
        Operator = options.IrcOperator?.Split(':', 2) is [var name, var password] ? (name, password) : null;
        Time = options.TimeProvider;
        RegistrationTimeout = options.IrcRegistrationTimeout;
        PingInterval = options.IrcPingInterval;
        Created = Time.GetUtcNow();
        _formats = [.. Enumerable.Range(0, 1 << FormatBits.Length).Select(bits => new IrcEventFormat(this, CapabilitiesOf(bits)))];
    }

    /// <summary>The capabilities that change how events are written.</summary>
    private static readonly IrcCapabilities[] FormatBits = [IrcCapabilities.ServerTime, IrcCapabilities.Batch, IrcCapabilities.MessageTags, IrcCapabilities.AwayNotify];

    /// <summary>The server's name in numerics and prefixes.</summary>
    public string Name { get; }

    /// <summary>The password every connection must give with <c>PASS</c>; null when none is needed.</summary>
    public string? Password { get; }

    /// <summary>The operator account OPER grants, or null.</summary>
    public (string Name, string Password)? Operator { get; }

    /// <summary>The clock of timestamps (server-time, TIME, history).</summary>
    public TimeProvider Time { get; }

    /// <summary>How long a connection may take to register.</summary>
    public TimeSpan RegistrationTimeout { get; }

    /// <summary>Silence after which a client is pinged, and after as long again closed.</summary>
    public TimeSpan PingInterval { get; }

    /// <summary>When the server started (RPL_CREATED).</summary>
    public DateTimeOffset Created { get; }

    /// <summary>The version string (RPL_MYINFO, VERSION).</summary>
    public static string Version { get; } = "SupervisedChat-" + (typeof(IrcServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    /// <summary>The RPL_ISUPPORT tokens, each the limit the server really applies.</summary>
    public IReadOnlyList<string> Support { get; } =
    [
        "AWAYLEN=" + AwayLength,
        "CASEMAPPING=ascii",
        "CHANLIMIT=#:" + MaxRooms,
        "CHANMODES=b,k,l,imnst",
        "CHANNELLEN=" + (RoomName.MaxLength + 1),
        "CHANTYPES=#",
        "KICKLEN=" + KickLength,
        "MAXTARGETS=" + MaxTargets,
        "MODES=" + MaxModes,
        "NETWORK=" + NetworkName,
        "NICKLEN=" + NickName.MaxLength,
        "PREFIX=(ov)@+",
        "TARGMAX=JOIN:" + MaxTargets + ",PART:" + MaxTargets + ",PRIVMSG:" + MaxTargets + ",NOTICE:" + MaxTargets + ",KICK:" + MaxTargets + ",WHOIS:1",
        "TOPICLEN=" + TopicLength,
        "USERLEN=" + IrcRegistration.MaxUserLength,
    ];

    /// <summary>The format for a connection that enabled <paramref name="capabilities"/>.</summary>
    public IrcEventFormat FormatFor(IrcCapabilities capabilities)
    {
        var bits = 0;
        for (var i = 0; i < FormatBits.Length; i++)
        {
            if (capabilities.HasFlag(FormatBits[i]))
            {
                bits |= 1 << i;
            }
        }

        return _formats[bits];
    }

    private static IrcCapabilities CapabilitiesOf(int bits)
    {
        var capabilities = IrcCapabilities.None;
        for (var i = 0; i < FormatBits.Length; i++)
        {
            if ((bits & (1 << i)) != 0)
            {
                capabilities |= FormatBits[i];
            }
        }

        return capabilities;
    }
}
