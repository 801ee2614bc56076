using System.Net;
using ChatServer.Cluster;

namespace ChatServer.Hosting;

/// <summary>
/// What a valid <see cref="ChatServerOptions"/> is: every range and every dependency between options,
/// each broken one named by its flag (the program adds the variable and the appsettings.json key).
/// </summary>
internal static class ChatServerOptionsRules
{
    /// <summary>Throws <see cref="ArgumentException"/> whose message names the first invalid option and its value.</summary>
    public static void Check(ChatServerOptions options)
    {
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            throw new ArgumentException($"--bind {options.BindAddress} is not an IP address");
        }

        if (!IPAddress.TryParse(options.MetricsBindAddress, out _))
        {
            throw new ArgumentException($"--metrics-bind {options.MetricsBindAddress} is not an IP address");
        }

        foreach (var (flag, port) in new[] { ("--port", (int?)options.Port), ("--irc-port", options.IrcPort), ("--tls-port", options.TlsPort), ("--irc-tls-port", options.IrcTlsPort), ("--metrics-port", options.MetricsPort) })
        {
            if (port is < 0 or > 65535)
            {
                throw new ArgumentException($"{flag} must be 0 to 65535 (got {port})");
            }
        }

        if (options.ServerName.Length is 0 or > 63 || options.ServerName.AsSpan().ContainsAnyExcept(ServerNameChars))
        {
            throw new ArgumentException($"--server-name must be 1 to 63 of A-Z a-z 0-9 . - (got {options.ServerName})");
        }

        if (options.IrcRegistrationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--irc-registration-timeout must be positive (got {options.IrcRegistrationTimeout.TotalSeconds} s)");
        }

        if (options.IrcPingInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--irc-ping-interval must be positive (got {options.IrcPingInterval.TotalSeconds} s)");
        }

        if (options.IrcOperator is { } oper && (oper.IndexOf(':') is <= 0 || oper.EndsWith(':') || oper.Contains(' ')))
        {
            throw new ArgumentException("--irc-oper must be NAME:PASSWORD, without spaces");
        }

        if (options.IrcPassword is { } password && (password.Length == 0 || password.Contains(' ')))
        {
            throw new ArgumentException("--irc-password must not be empty or hold spaces");
        }

        if (options.MaxClients < 1)
        {
            throw new ArgumentException($"--max-clients must be at least 1 (got {options.MaxClients})");
        }

        if (options.HistoryLength < 0)
        {
            throw new ArgumentException($"--history must not be negative (got {options.HistoryLength})");
        }

        if (options.AnnounceLimit < 0)
        {
            throw new ArgumentException($"--announce-limit must not be negative (got {options.AnnounceLimit})");
        }

        if (options.LobbyTopic.Length > Chat.RoomTopic.MaxLength || options.LobbyTopic.Any(char.IsControl))
        {
            throw new ArgumentException($"--lobby-topic must be at most {Chat.RoomTopic.MaxLength} characters, without control characters (got {options.LobbyTopic.Length})");
        }

        if (options.MaxLineBytes < 64)
        {
            throw new ArgumentException($"--max-line must be at least 64 (got {options.MaxLineBytes})");
        }

        if (options.MaxSendQueueLines < options.HistoryLength + 64)
        {
            throw new ArgumentException($"--max-sendq-lines must be at least --history + 64, room for a joiner's greeting and history (got {options.MaxSendQueueLines})");
        }

        if (options.MaxPerIp < 0)
        {
            throw new ArgumentException($"--max-per-ip must not be negative (got {options.MaxPerIp})");
        }

        // One check per flag: the program names the variable and key of the flag a message starts with.
        if (options.FloodBurst < 1)
        {
            throw new ArgumentException($"--flood-burst must be at least 1 (got {options.FloodBurst})");
        }

        if (options.FloodRate < 0)
        {
            throw new ArgumentException($"--flood-rate must not be negative (got {options.FloodRate})");
        }

        if (options.FloodKick < 1)
        {
            throw new ArgumentException($"--flood-kick must be at least 1 (got {options.FloodKick})");
        }

        if (options.IdleTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"--idle-timeout must not be negative (got {options.IdleTimeout.TotalSeconds} s)");
        }

        if (options.CrashLoop is not null && !options.EnableFaultInjection)
        {
            throw new ArgumentException("--fault-crash-loop needs --enable-fault-injection");
        }

        if (options.FollowerDelay != TimeSpan.Zero && (!options.EnableFaultInjection || options.FollowerDelay < TimeSpan.Zero))
        {
            throw new ArgumentException("--fault-follower-delay needs --enable-fault-injection and must not be negative");
        }

        if (!ClusterNames.IsValid(options.ClusterName))
        {
            throw new ArgumentException($"--cluster-name must be 1 to {ClusterNames.MaxLength} of A-Z a-z 0-9 . _ - (got {options.ClusterName})");
        }

        if (!ClusterNames.IsValid(options.NodeName))
        {
            throw new ArgumentException($"--node-name must be 1 to {ClusterNames.MaxLength} of A-Z a-z 0-9 . _ - (got {options.NodeName})");
        }

        if (options.NodeLease < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"--node-lease must be at least 1 second (got {options.NodeLease.TotalSeconds} s)");
        }

        if (options.ClusterBacklog < 1)
        {
            throw new ArgumentException($"--cluster-backlog must be at least 1 (got {options.ClusterBacklog})");
        }

        if (options.StreamRetention < options.HistoryLength)
        {
            throw new ArgumentException($"--cluster-retention must be at least --history (got {options.StreamRetention})");
        }

        if (options.MaxSendQueueBytes < options.MaxLineBytes)
        {
            throw new ArgumentException($"--max-sendq must be at least --max-line (got {options.MaxSendQueueBytes})");
        }

        CheckTls(options);

        if (options.OtlpEndpoint is { } otlp && (!otlp.IsAbsoluteUri || otlp.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"--otlp-endpoint must be an http or https URL (got {otlp})");
        }
    }

    private static void CheckTls(ChatServerOptions options)
    {
        if (options.IrcTlsPort is not null && !options.EnableIrc)
        {
            throw new ArgumentException("--irc-tls-port cannot be used with --no-irc");
        }

        if (options.EnableTls && (string.IsNullOrWhiteSpace(options.TlsCertificatePath) || string.IsNullOrWhiteSpace(options.TlsKeyPath)))
        {
            throw new ArgumentException("--tls-port and --irc-tls-port need --tls-cert and --tls-key (PEM files)");
        }

        if (!options.EnableTls && (options.TlsCertificatePath is not null || options.TlsKeyPath is not null))
        {
            throw new ArgumentException("--tls-cert and --tls-key need --tls-port or --irc-tls-port");
        }

        if (options.TlsHandshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"--tls-handshake-timeout must be positive (got {options.TlsHandshakeTimeout.TotalSeconds} s)");
        }

        if (options.TlsReloadCheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the TLS reload check interval must be positive (got {options.TlsReloadCheckInterval.TotalSeconds} s)");
        }
    }

    private static readonly System.Buffers.SearchValues<char> ServerNameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
}
