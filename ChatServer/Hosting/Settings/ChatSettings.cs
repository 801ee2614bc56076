using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace ChatServer.Hosting.Settings;

/// <summary>
/// Every setting of the server: property, flag, environment variable and help text, in <c>--help</c>
/// order. Defaults are not here: they are <see cref="ChatServerOptions"/>' own.
/// </summary>
internal static class ChatSettings
{
    /// <summary>The settings, in <c>--help</c> order.</summary>
    public static IReadOnlyList<ChatSetting> All { get; } =
    [
        Number("Port", new Option<int>("--port", "-p") { Description = "TCP port to listen on; 0 picks a free port (printed at start)" }, "CHAT_PORT", d => d.Port),
        Of("IrcPort", new Option<int?>("--irc-port") { Description = $"IRC port; 0 picks a free port (default {ChatServerOptions.DefaultIrcPort}, or a free port when --port is 0)" }, "CHAT_IRC_PORT", s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture), SettingValues.Text, d => d.IrcPort),
        Of("EnableIrc", new Option<bool>("--no-irc") { Description = "do not listen for IRC clients" }, "CHAT_NO_IRC", bool.Parse, off => SettingValues.Text(!off), d => !d.EnableIrc),
        Text("ServerName", new Option<string>("--server-name") { Description = "the server's name in IRC numerics and prefixes (default: the host name)" }, "CHAT_SERVER_NAME", d => d.ServerName),
        Text("IrcPassword", new Option<string?>("--irc-password") { Description = "password IRC clients must give with PASS" }, "CHAT_IRC_PASSWORD", d => d.IrcPassword),
        Text("IrcOperator", new Option<string?>("--irc-oper") { Description = "the IRC operator account NAME:PASSWORD that OPER grants" }, "CHAT_IRC_OPER", d => d.IrcOperator),
        Text("CloakKey", new Option<string?>("--cloak-key") { Description = "secret that keys the cloaked hosts shown instead of addresses, so cloaks and bans on them survive restarts and match across a cluster (default: random per process)" }, "CHAT_CLOAK_KEY", d => d.CloakKey),
        Seconds("IrcRegistrationTimeout", new Option<double>("--irc-registration-timeout") { Description = "seconds an IRC connection may take to register" }, "CHAT_IRC_REGISTRATION_TIMEOUT", d => d.IrcRegistrationTimeout),
        Seconds("IrcPingInterval", new Option<double>("--irc-ping-interval") { Description = "seconds of silence before an IRC client is pinged; as long again without an answer closes it" }, "CHAT_IRC_PING_INTERVAL", d => d.IrcPingInterval),
        Text("BindAddress", new Option<string>("--bind", "-b") { Description = "address to listen on" }, "CHAT_BIND", d => d.BindAddress),
        Number("MaxClients", new Option<int>("--max-clients") { Description = "most clients connected at once" }, "CHAT_MAX_CLIENTS", d => d.MaxClients),
        Number("MaxPerIp", new Option<int>("--max-per-ip") { Description = "most connections from one IP address; 0 = no limit" }, "CHAT_MAX_PER_IP", d => d.MaxPerIp),
        Number("HistoryLength", new Option<int>("--history") { Description = "messages a room keeps and replays to a joiner" }, "CHAT_HISTORY", d => d.HistoryLength),
        Number("AnnounceLimit", new Option<int>("--announce-limit") { Description = "most members a room may have and still announce joins, parts and nick changes; 0 = always" }, "CHAT_ANNOUNCE_LIMIT", d => d.AnnounceLimit),
        Text("LobbyTopic", new Option<string>("--lobby-topic") { Description = "the topic of #lobby, shown to everyone at connect; empty = none" }, "CHAT_LOBBY_TOPIC", d => d.LobbyTopic),
        Number("MaxLineBytes", new Option<int>("--max-line") { Description = "longest input line in bytes" }, "CHAT_MAX_LINE", d => d.MaxLineBytes),
        Number("MaxSendQueueBytes", new Option<int>("--max-sendq") { Description = "bytes queued for a client that does not read before it is disconnected" }, "CHAT_MAX_SENDQ", d => d.MaxSendQueueBytes),
        Number("MaxSendQueueLines", new Option<int>("--max-sendq-lines") { Description = "lines queued for a client that does not read before it is disconnected" }, "CHAT_MAX_SENDQ_LINES", d => d.MaxSendQueueLines),
        Number("FloodBurst", new Option<int>("--flood-burst") { Description = "lines a client may send in a burst" }, "CHAT_FLOOD_BURST", d => d.FloodBurst),
        Of("FloodRate", new Option<double>("--flood-rate") { Description = "lines per second a client may send on average; 0 = no flood control" }, "CHAT_FLOOD_RATE", SettingValues.ParseNumber, SettingValues.Text, d => d.FloodRate),
        Number("FloodKick", new Option<int>("--flood-kick") { Description = "lines over the flood limit in a row (dropped on the chat port, delayed on IRC) before a flooding client is disconnected" }, "CHAT_FLOOD_KICK", d => d.FloodKick),
        Of("IdleTimeout", new Option<int>("--idle-timeout") { Description = "seconds without input before a client is disconnected; 0 = never" }, "CHAT_IDLE_TIMEOUT", Int, seconds => SettingValues.Seconds(seconds), d => (int)d.IdleTimeout.TotalSeconds),
        Of("TelnetBinary", new Option<bool>("--telnet-binary") { HelpName = "true|false", Description = "offer telnet BINARY mode (6 bytes, once) to a client that speaks telnet or ends its first line in CRLF, so that telnet sends UTF-8 intact; true (the default) or false" }, "CHAT_TELNET_BINARY", bool.Parse, SettingValues.Text, d => d.TelnetBinary),
        Text("Redis", new Option<string?>("--redis") { Description = "run as a node of the cluster in this Redis (a StackExchange.Redis configuration string, e.g. 127.0.0.1:6379)" }, "CHAT_REDIS", d => d.Redis),
        Text("ClusterName", new Option<string>("--cluster-name") { Description = "prefix of every key in Redis" }, "CHAT_CLUSTER_NAME", d => d.ClusterName),
        Text("NodeName", new Option<string>("--node-name") { Description = "this node's name, unique in the cluster (default: host name and process id)" }, "CHAT_NODE_NAME", d => d.NodeName),
        Seconds("NodeLease", new Option<double>("--node-lease") { Description = "seconds a node may go unheard before the others declare it lost" }, "CHAT_NODE_LEASE", d => d.NodeLease),
        Number("ClusterBacklog", new Option<int>("--cluster-backlog") { Description = "lines kept for other nodes while Redis is unreachable" }, "CHAT_CLUSTER_BACKLOG", d => d.ClusterBacklog),
        Number("StreamRetention", new Option<int>("--cluster-retention") { Description = "entries each room's stream keeps in Redis" }, "CHAT_CLUSTER_RETENTION", d => d.StreamRetention),
        Of("TlsPort", new Option<int?>("--tls-port") { Description = "TLS port of the line protocol (openssl s_client, ncat --ssl); 0 picks a free port; off unless given; needs --tls-cert and --tls-key" }, "CHAT_TLS_PORT", s => Int(s), SettingValues.Text, d => d.TlsPort),
        Of("IrcTlsPort", new Option<int?>("--irc-tls-port") { Description = "TLS port of IRC (6697 by convention); 0 picks a free port; off unless given; needs --tls-cert and --tls-key" }, "CHAT_IRC_TLS_PORT", s => Int(s), SettingValues.Text, d => d.IrcTlsPort),
        Text("TlsCertificatePath", new Option<string?>("--tls-cert") { Description = "PEM file of the TLS certificate and its chain (certbot: live/NAME/fullchain.pem); reloaded when it changes" }, "CHAT_TLS_CERT", d => d.TlsCertificatePath),
        Text("TlsKeyPath", new Option<string?>("--tls-key") { Description = "PEM file of the TLS private key (certbot: live/NAME/privkey.pem)" }, "CHAT_TLS_KEY", d => d.TlsKeyPath),
        Seconds("TlsHandshakeTimeout", new Option<double>("--tls-handshake-timeout") { Description = "seconds a TLS connection may take to finish its handshake" }, "CHAT_TLS_HANDSHAKE_TIMEOUT", d => d.TlsHandshakeTimeout),
        Of("MetricsPort", new Option<int?>("--metrics-port") { Description = "HTTP port of /metrics (Prometheus) and /healthz; 0 picks a free port (printed at start); default off" }, "CHAT_METRICS_PORT", s => Int(s), SettingValues.Text, d => d.MetricsPort),
        Text("MetricsBindAddress", new Option<string>("--metrics-bind") { Description = "address the metrics port listens on" }, "CHAT_METRICS_BIND", d => d.MetricsBindAddress),
        Of("OtlpEndpoint", new Option<string?>("--otlp-endpoint") { Description = "OpenTelemetry collector (OTLP/gRPC URL, e.g. http://localhost:4317) for metrics and sampled traces; default off" }, "CHAT_OTLP_ENDPOINT", s => s, s => s, d => d.OtlpEndpoint?.ToString()),
        Of("LogLevel", new Option<LogLevel>("--log-level") { Description = "Trace, Debug, Information, Warning, Error, Critical or None" }, "CHAT_LOG_LEVEL", s => Enum.Parse<LogLevel>(s, ignoreCase: true), SettingValues.Text, d => d.LogLevel),
        Of("LogFormat", new Option<LogFormat>("--log-format") { Description = "text, or json: one JSON object per stdout line, the start-up lines included" }, "CHAT_LOG_FORMAT", s => Enum.Parse<LogFormat>(s, ignoreCase: true), SettingValues.Text, d => d.LogFormat),
        Of("EnableFaultInjection", new Option<bool>("--enable-fault-injection") { Description = "TESTS ONLY: honour /crash and fault hooks", Hidden = true }, "CHAT_FAULT_INJECTION", bool.Parse, SettingValues.Text, d => d.EnableFaultInjection),
        Text("CrashLoop", new Option<string?>("--fault-crash-loop") { Description = "TESTS ONLY: this service crashes after every start", Hidden = true }, "CHAT_FAULT_CRASH_LOOP", d => d.CrashLoop),
        Seconds("FollowerDelay", new Option<double>("--fault-follower-delay") { Description = "TESTS ONLY: seconds by which this node's reads of the cluster's logs reach its rooms late", Hidden = true }, "CHAT_FAULT_FOLLOWER_DELAY", d => d.FollowerDelay),
    ];

    /// <summary>The setting of <paramref name="flag"/>, or null.</summary>
    public static ChatSetting? ByFlag(string flag) => All.FirstOrDefault(setting => setting.Flag == flag);

    private static int Int(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static ChatSetting<T> Of<T>(string property, Option<T> option, string variable, Func<string, T> parse, Func<T, string?> toConfiguration, Func<ChatServerOptions, T> helpDefault) =>
        new(property, option, variable, parse, toConfiguration, helpDefault);

    private static ChatSetting<int> Number(string property, Option<int> option, string variable, Func<ChatServerOptions, int> helpDefault) =>
        new(property, option, variable, Int, SettingValues.Text, helpDefault);

    private static ChatSetting<T> Text<T>(string property, Option<T> option, string variable, Func<ChatServerOptions, T> helpDefault) =>
        new(property, option, variable, s => (T)(object)s, s => s?.ToString(), helpDefault);

    private static ChatSetting<double> Seconds(string property, Option<double> option, string variable, Func<ChatServerOptions, TimeSpan> helpDefault) =>
        new(property, option, variable, SettingValues.ParseNumber, SettingValues.Seconds, d => helpDefault(d).TotalSeconds);
}
