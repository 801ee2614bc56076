using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;

namespace ChatServer.Hosting;

/// <summary>
/// The command line: every option also has an environment variable (<c>CHAT_PORT</c>, ...), which
/// sets the default that the command line overrides.
/// </summary>
public static class CommandLine
{
    // Every fallback is the options' own default: written once, in ChatServerOptions.
    private static ChatServerOptions Defaults => ChatServerOptions.Defaults;

    private static readonly Option<int> s_port = Env(new Option<int>("--port", "-p") { Description = "TCP port to listen on; 0 picks a free port (printed at start) [env CHAT_PORT]" }, "CHAT_PORT", Defaults.Port, int.Parse);
    private static readonly Option<int?> s_ircPort = Env(new Option<int?>("--irc-port") { Description = $"IRC port; 0 picks a free port (default {ChatServerOptions.DefaultIrcPort}, or a free port when --port is 0) [env CHAT_IRC_PORT]" }, "CHAT_IRC_PORT", Defaults.IrcPort, s => int.Parse(s));
    private static readonly Option<bool> s_noIrc = Env(new Option<bool>("--no-irc") { Description = "do not listen for IRC clients [env CHAT_NO_IRC]" }, "CHAT_NO_IRC", !Defaults.EnableIrc, bool.Parse);
    private static readonly Option<string> s_serverName = Env(new Option<string>("--server-name") { Description = "the server's name in IRC numerics and prefixes (default: the host name) [env CHAT_SERVER_NAME]" }, "CHAT_SERVER_NAME", Defaults.ServerName, s => s);
    private static readonly Option<string?> s_ircPassword = Env(new Option<string?>("--irc-password") { Description = "password IRC clients must give with PASS [env CHAT_IRC_PASSWORD]" }, "CHAT_IRC_PASSWORD", Defaults.IrcPassword, s => s);
    private static readonly Option<string?> s_ircOper = Env(new Option<string?>("--irc-oper") { Description = "the IRC operator account NAME:PASSWORD that OPER grants [env CHAT_IRC_OPER]" }, "CHAT_IRC_OPER", Defaults.IrcOperator, s => s);
    private static readonly Option<double> s_ircRegistrationTimeout = Env(new Option<double>("--irc-registration-timeout") { Description = "seconds an IRC connection may take to register [env CHAT_IRC_REGISTRATION_TIMEOUT]" }, "CHAT_IRC_REGISTRATION_TIMEOUT", Defaults.IrcRegistrationTimeout.TotalSeconds, s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
    private static readonly Option<double> s_ircPingInterval = Env(new Option<double>("--irc-ping-interval") { Description = "seconds of silence before an IRC client is pinged; as long again without an answer closes it [env CHAT_IRC_PING_INTERVAL]" }, "CHAT_IRC_PING_INTERVAL", Defaults.IrcPingInterval.TotalSeconds, s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
    private static readonly Option<string> s_bind = Env(new Option<string>("--bind", "-b") { Description = "address to listen on [env CHAT_BIND]" }, "CHAT_BIND", Defaults.BindAddress.ToString(), s => s);
    private static readonly Option<int> s_maxClients = Env(new Option<int>("--max-clients") { Description = "most clients connected at once [env CHAT_MAX_CLIENTS]" }, "CHAT_MAX_CLIENTS", Defaults.MaxClients, int.Parse);
    private static readonly Option<int> s_history = Env(new Option<int>("--history") { Description = "messages a room keeps and replays to a joiner [env CHAT_HISTORY]" }, "CHAT_HISTORY", Defaults.HistoryLength, int.Parse);
    private static readonly Option<int> s_announceLimit = Env(new Option<int>("--announce-limit") { Description = "most members a room may have and still announce joins, parts and nick changes; 0 = always [env CHAT_ANNOUNCE_LIMIT]" }, "CHAT_ANNOUNCE_LIMIT", Defaults.AnnounceLimit, int.Parse);
    private static readonly Option<string> s_lobbyTopic = Env(new Option<string>("--lobby-topic") { Description = "the topic of #lobby, shown to everyone at connect; empty = none [env CHAT_LOBBY_TOPIC]" }, "CHAT_LOBBY_TOPIC", Defaults.LobbyTopic, s => s);
    private static readonly Option<int> s_maxLine = Env(new Option<int>("--max-line") { Description = "longest input line in bytes [env CHAT_MAX_LINE]" }, "CHAT_MAX_LINE", Defaults.MaxLineBytes, int.Parse);
    private static readonly Option<int> s_maxSendQueue = Env(new Option<int>("--max-sendq") { Description = "bytes queued for a client that does not read before it is disconnected [env CHAT_MAX_SENDQ]" }, "CHAT_MAX_SENDQ", Defaults.MaxSendQueueBytes, int.Parse);
    private static readonly Option<int> s_maxSendQueueLines = Env(new Option<int>("--max-sendq-lines") { Description = "lines queued for a client that does not read before it is disconnected [env CHAT_MAX_SENDQ_LINES]" }, "CHAT_MAX_SENDQ_LINES", Defaults.MaxSendQueueLines, int.Parse);
    private static readonly Option<int> s_maxPerIp = Env(new Option<int>("--max-per-ip") { Description = "most connections from one IP address; 0 = no limit [env CHAT_MAX_PER_IP]" }, "CHAT_MAX_PER_IP", Defaults.MaxPerIp, int.Parse);
    private static readonly Option<int> s_floodBurst = Env(new Option<int>("--flood-burst") { Description = "lines a client may send in a burst [env CHAT_FLOOD_BURST]" }, "CHAT_FLOOD_BURST", Defaults.FloodBurst, int.Parse);
    private static readonly Option<double> s_floodRate = Env(new Option<double>("--flood-rate") { Description = "lines per second a client may send on average; 0 = no flood control [env CHAT_FLOOD_RATE]" }, "CHAT_FLOOD_RATE", Defaults.FloodRate, s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
    private static readonly Option<int> s_floodKick = Env(new Option<int>("--flood-kick") { Description = "lines dropped in a row before a flooding client is disconnected [env CHAT_FLOOD_KICK]" }, "CHAT_FLOOD_KICK", Defaults.FloodKick, int.Parse);
    private static readonly Option<int> s_idleTimeout = Env(new Option<int>("--idle-timeout") { Description = "seconds without input before a client is disconnected; 0 = never [env CHAT_IDLE_TIMEOUT]" }, "CHAT_IDLE_TIMEOUT", (int)Defaults.IdleTimeout.TotalSeconds, int.Parse);
    private static readonly Option<bool> s_telnetBinary = Env(new Option<bool>("--telnet-binary") { HelpName = "true|false", Description = "offer telnet BINARY mode (6 bytes, once) to a client that speaks telnet or ends its first line in CRLF, so that telnet sends UTF-8 intact; true (the default) or false [env CHAT_TELNET_BINARY]" }, "CHAT_TELNET_BINARY", Defaults.TelnetBinary, bool.Parse);
    private static readonly Option<string?> s_redis = Env(new Option<string?>("--redis") { Description = "run as a node of the cluster in this Redis (a StackExchange.Redis configuration string, e.g. 127.0.0.1:6379) [env CHAT_REDIS]" }, "CHAT_REDIS", Defaults.Redis, s => s);
    private static readonly Option<string> s_clusterName = Env(new Option<string>("--cluster-name") { Description = "prefix of every key in Redis [env CHAT_CLUSTER_NAME]" }, "CHAT_CLUSTER_NAME", Defaults.ClusterName, s => s);
    private static readonly Option<string> s_nodeName = Env(new Option<string>("--node-name") { Description = "this node's name, unique in the cluster (default: host name and process id) [env CHAT_NODE_NAME]" }, "CHAT_NODE_NAME", Defaults.NodeName, s => s);
    private static readonly Option<double> s_nodeLease = Env(new Option<double>("--node-lease") { Description = "seconds a node may go unheard before the others declare it lost [env CHAT_NODE_LEASE]" }, "CHAT_NODE_LEASE", Defaults.NodeLease.TotalSeconds, s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture));
    private static readonly Option<int> s_clusterBacklog = Env(new Option<int>("--cluster-backlog") { Description = "lines kept for other nodes while Redis is unreachable [env CHAT_CLUSTER_BACKLOG]" }, "CHAT_CLUSTER_BACKLOG", Defaults.ClusterBacklog, int.Parse);
    private static readonly Option<int> s_clusterRetention = Env(new Option<int>("--cluster-retention") { Description = "entries each room's stream keeps in Redis [env CHAT_CLUSTER_RETENTION]" }, "CHAT_CLUSTER_RETENTION", Defaults.StreamRetention, int.Parse);
    private static readonly Option<int?> s_metricsPort = Env(new Option<int?>("--metrics-port") { Description = "HTTP port of /metrics (Prometheus) and /healthz; 0 picks a free port (printed at start); default off [env CHAT_METRICS_PORT]" }, "CHAT_METRICS_PORT", Defaults.MetricsPort, s => int.Parse(s));
    private static readonly Option<string> s_metricsBind = Env(new Option<string>("--metrics-bind") { Description = "address the metrics port listens on [env CHAT_METRICS_BIND]" }, "CHAT_METRICS_BIND", Defaults.MetricsBindAddress.ToString(), s => s);
    private static readonly Option<string?> s_otlpEndpoint = Env(new Option<string?>("--otlp-endpoint") { Description = "OpenTelemetry collector (OTLP/gRPC URL, e.g. http://localhost:4317) for metrics and sampled traces; default off [env CHAT_OTLP_ENDPOINT]" }, "CHAT_OTLP_ENDPOINT", Defaults.OtlpEndpoint?.ToString(), s => s);
    private static readonly Option<string?> s_crashLoop = Env(new Option<string?>("--fault-crash-loop") { Description = "TESTS ONLY: this service crashes after every start [env CHAT_FAULT_CRASH_LOOP]", Hidden = true }, "CHAT_FAULT_CRASH_LOOP", null, s => s);
    private static readonly Option<LogLevel> s_logLevel = Env(new Option<LogLevel>("--log-level") { Description = "Trace, Debug, Information, Warning, Error, Critical or None [env CHAT_LOG_LEVEL]" }, "CHAT_LOG_LEVEL", Defaults.LogLevel, s => Enum.Parse<LogLevel>(s, ignoreCase: true));
    private static readonly Option<bool> s_faultInjection = Env(new Option<bool>("--enable-fault-injection") { Description = "TESTS ONLY: honour /crash and fault hooks [env CHAT_FAULT_INJECTION]", Hidden = true }, "CHAT_FAULT_INJECTION", Defaults.EnableFaultInjection, bool.Parse);

    /// <summary>The root command; <paramref name="run"/> gets the parsed options.</summary>
    public static RootCommand Create(Func<ChatServerOptions, CancellationToken, Task<int>> run)
    {
        var command = new RootCommand("SupervisedChat: a supervised chat server for nc, telnet and IRC clients")
        {
            s_port, s_ircPort, s_noIrc, s_serverName, s_ircPassword, s_ircOper, s_ircRegistrationTimeout, s_ircPingInterval, s_bind, s_maxClients, s_maxPerIp, s_history, s_announceLimit, s_lobbyTopic, s_maxLine, s_maxSendQueue, s_maxSendQueueLines,
            s_floodBurst, s_floodRate, s_floodKick, s_idleTimeout, s_telnetBinary, s_redis, s_clusterName, s_nodeName, s_nodeLease,
            s_clusterBacklog, s_clusterRetention, s_logLevel, s_faultInjection, s_crashLoop, s_metricsPort, s_metricsBind, s_otlpEndpoint,
        };
        command.SetAction((result, cancellationToken) =>
        {
            if (!IPAddress.TryParse(result.GetValue(s_bind), out var address))
            {
                Console.Error.WriteLine($"error: --bind {result.GetValue(s_bind)} is not an IP address");
                return Task.FromResult(2);
            }

            if (!IPAddress.TryParse(result.GetValue(s_metricsBind), out var metricsAddress))
            {
                Console.Error.WriteLine($"error: --metrics-bind {result.GetValue(s_metricsBind)} is not an IP address");
                return Task.FromResult(2);
            }

            Uri? otlp = null;
            if (result.GetValue(s_otlpEndpoint) is { Length: > 0 } otlpText && !Uri.TryCreate(otlpText, UriKind.Absolute, out otlp))
            {
                Console.Error.WriteLine($"error: --otlp-endpoint {otlpText} is not a URL");
                return Task.FromResult(2);
            }

            var options = new ChatServerOptions
            {
                Port = result.GetValue(s_port),
                IrcPort = result.GetValue(s_ircPort),
                EnableIrc = !result.GetValue(s_noIrc),
                ServerName = result.GetValue(s_serverName)!,
                IrcPassword = result.GetValue(s_ircPassword) is { Length: > 0 } password ? password : null,
                IrcOperator = result.GetValue(s_ircOper) is { Length: > 0 } oper ? oper : null,
                IrcRegistrationTimeout = TimeSpan.FromSeconds(result.GetValue(s_ircRegistrationTimeout)),
                IrcPingInterval = TimeSpan.FromSeconds(result.GetValue(s_ircPingInterval)),
                BindAddress = address,
                MaxClients = result.GetValue(s_maxClients),
                HistoryLength = result.GetValue(s_history),
                AnnounceLimit = result.GetValue(s_announceLimit),
                LobbyTopic = result.GetValue(s_lobbyTopic) ?? "",
                MaxLineBytes = result.GetValue(s_maxLine),
                MaxSendQueueBytes = result.GetValue(s_maxSendQueue),
                MaxSendQueueLines = result.GetValue(s_maxSendQueueLines),
                MaxPerIp = result.GetValue(s_maxPerIp),
                FloodBurst = result.GetValue(s_floodBurst),
                FloodRate = result.GetValue(s_floodRate),
                FloodKick = result.GetValue(s_floodKick),
                IdleTimeout = TimeSpan.FromSeconds(result.GetValue(s_idleTimeout)),
                TelnetBinary = result.GetValue(s_telnetBinary),
                Redis = result.GetValue(s_redis) is { Length: > 0 } redis ? redis : null,
                ClusterName = result.GetValue(s_clusterName)!,
                NodeName = result.GetValue(s_nodeName)!,
                NodeLease = TimeSpan.FromSeconds(result.GetValue(s_nodeLease)),
                ClusterBacklog = result.GetValue(s_clusterBacklog),
                StreamRetention = result.GetValue(s_clusterRetention),
                CrashLoop = result.GetValue(s_crashLoop),
                LogLevel = result.GetValue(s_logLevel),
                EnableFaultInjection = result.GetValue(s_faultInjection),
                MetricsPort = result.GetValue(s_metricsPort),
                MetricsBindAddress = metricsAddress,
                OtlpEndpoint = otlp,
            };
            return run(options, cancellationToken);
        });
        return command;
    }

    private static Option<T> Env<T>(Option<T> option, string variable, T fallback, Func<string, T> parse)
    {
        option.DefaultValueFactory = result =>
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                return fallback;
            }

            try
            {
                return parse(value);
            }
            catch (Exception exception) when (exception is FormatException or OverflowException or ArgumentException)
            {
                result.AddError($"{variable}={value} is not a valid value for {option.Name}");
                return fallback;
            }
        };
        return option;
    }
}
