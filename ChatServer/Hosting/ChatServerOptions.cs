using System.Net;
using ChatServer.Cluster;
using ChatServer.Hosting.Settings;
using Microsoft.Extensions.Logging;

namespace ChatServer.Hosting;

/// <summary>
/// Everything the server can be told at start, validated before anything binds or starts. Every
/// default of the server is written here and nowhere else (the command line, the client and room options take them from <see cref="Defaults"/>).
/// </summary>
public sealed record ChatServerOptions
{
    /// <summary>The options with every default.</summary>
    public static ChatServerOptions Defaults { get; } = new();

    /// <summary>
    /// The TCP port; 0 picks a free one (the server prints the port it bound).
    /// <value>The default is 4040.</value>
    /// </summary>
    public int Port { get; init; } = 4040;

    /// <summary>
    /// The IRC port; 0 picks a free one. Null means <see cref="DefaultIrcPort"/>, or a free port when
    /// <see cref="Port"/> is 0 (so tests and several servers on one machine never collide on 6667).
    /// <value>The default is null (6667).</value>
    /// </summary>
    public int? IrcPort { get; init; }

    /// <summary>The IRC port when none is given.</summary>
    public const int DefaultIrcPort = 6667;

    /// <summary>
    /// Whether to listen for IRC clients at all (<c>--no-irc</c> turns it off).
    /// <value>The default is <see langword="true"/>.</value>
    /// </summary>
    public bool EnableIrc { get; init; } = true;

    /// <summary>
    /// The server's name in IRC numerics and prefixes; null or empty means the host name.
    /// <value>The default is the host name.</value>
    /// </summary>
    [ComputedDefault]
    public string ServerName { get; init => field = string.IsNullOrEmpty(value) ? Environment.MachineName : value; } = Environment.MachineName;

    /// <summary>
    /// The password IRC clients must give with <c>PASS</c>; null means none is asked.
    /// <value>The default is null.</value>
    /// </summary>
    public string? IrcPassword { get; init => field = NullIfEmpty(value); }

    /// <summary>
    /// The IRC operator account, <c>NAME:PASSWORD</c>, that <c>OPER NAME PASSWORD</c> grants; null means none.
    /// <value>The default is null.</value>
    /// </summary>
    public string? IrcOperator { get; init => field = NullIfEmpty(value); }

    /// <summary>
    /// The secret that keys the cloaked hosts people see instead of addresses (<c>3f9a1c2e.cloak</c>): with one,
    /// a cloak (and a ban on it) stays the same across restarts and on every node of a cluster that shares it;
    /// null means a random key per process.
    /// <value>The default is null (random per process).</value>
    /// </summary>
    public string? CloakKey { get; init => field = NullIfEmpty(value); }

    /// <summary>
    /// How long an IRC connection may take to register before it is closed.
    /// <value>The default is 60 s.</value>
    /// </summary>
    public TimeSpan IrcRegistrationTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An IRC client silent this long is sent a PING, and closed (<c>Ping timeout</c>) if it stays silent as long again.
    /// <value>The default is 120 s.</value>
    /// </summary>
    public TimeSpan IrcPingInterval { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The IRC port to bind, or null when IRC is off (<see cref="IrcPort"/>).</summary>
    public int? EffectiveIrcPort => !EnableIrc ? null : IrcPort ?? (Port == 0 ? 0 : DefaultIrcPort);

    /// <summary>
    /// The IP address to listen on (text, as configuration gives it; <see cref="Validate"/> checks it parses).
    /// <value>The default is 0.0.0.0 (every IPv4 interface).</value>
    /// </summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>The parsed <see cref="BindAddress"/>.</summary>
    public IPAddress ListenAddress => IPAddress.Parse(BindAddress);

    /// <summary>
    /// The most clients connected at once; one more is told <c>! server full</c> and closed.
    /// <value>The default is 1000.</value>
    /// </summary>
    public int MaxClients { get; init; } = 1000;

    /// <summary>
    /// How many messages a room keeps and replays to a joiner.
    /// <value>The default is 20.</value>
    /// </summary>
    public int HistoryLength { get; init; } = 20;

    /// <summary>
    /// The most members a room may have and still announce joins, parts, quits and nick changes; 0 means always.
    /// <value>The default is 100.</value>
    /// </summary>
    public int AnnounceLimit { get; init; } = 100;

    /// <summary>
    /// The topic of <c>#lobby</c>, which has no operator to set one: shown to everyone at connect. Empty: no topic.
    /// <value>The default is <c>everyone starts here; /rooms lists the rooms, /join #name opens one</c>.</value>
    /// </summary>
    public string LobbyTopic { get; init; } = "everyone starts here; /rooms lists the rooms, /join #name opens one";

    /// <summary>
    /// The longest input line in bytes; a longer one is dropped with an error.
    /// <value>The default is 2048.</value>
    /// </summary>
    public int MaxLineBytes { get; init; } = 2048;

    /// <summary>
    /// The most bytes queued for one client that does not read; past it the client is disconnected.
    /// <value>The default is 1 MiB.</value>
    /// </summary>
    public int MaxSendQueueBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// The most lines queued for one client that does not read; past it the client is disconnected.
    /// <value>The default is 10000.</value>
    /// </summary>
    public int MaxSendQueueLines { get; init; } = 10_000;

    /// <summary>
    /// The most connections from one IP address at once; 0 means no limit.
    /// <value>The default is 16.</value>
    /// </summary>
    public int MaxPerIp { get; init; } = 16;

    /// <summary>
    /// Lines a client may send in a burst before the flood rate applies.
    /// <value>The default is 20.</value>
    /// </summary>
    public int FloodBurst { get; init; } = 20;

    /// <summary>
    /// Lines per second a client may send on average; 0 turns flood control off.
    /// <value>The default is 10.</value>
    /// </summary>
    public double FloodRate { get; init; } = 10;

    /// <summary>
    /// Lines dropped in a row for flooding after which the client is disconnected.
    /// <value>The default is 100.</value>
    /// </summary>
    public int FloodKick { get; init; } = 100;

    /// <summary>
    /// Disconnect a client that sends nothing for this long; zero turns it off.
    /// <value>The default is zero (off).</value>
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How long a stopping client may take to flush what is queued for it before its socket is closed.
    /// <value>The default is 2 s.</value>
    /// </summary>
    public TimeSpan ShutdownFlushTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Offer telnet BINARY mode (<c>IAC WILL BINARY IAC DO BINARY</c>, once) to a client that shows it
    /// is telnet: its first telnet command, or a first line ended by CRLF or CR NUL. Without it Linux
    /// telnet breaks UTF-8 text it sends (Russian, Japanese, Chinese, Polish, ✓). A client that ends
    /// lines in CRLF without speaking telnet (<c>nc -C</c>, a bot) receives those six bytes once.
    /// <value>The default is <see langword="true"/>.</value>
    /// </summary>
    public bool TelnetBinary { get; init; } = true;

    /// <summary>
    /// The Redis that makes this process a node of a cluster (any StackExchange.Redis configuration
    /// string; a password in it is never logged); null runs a single server that needs no Redis.
    /// <value>The default is null (no cluster).</value>
    /// </summary>
    public string? Redis { get; init => field = NullIfEmpty(value); }

    /// <summary>
    /// The cluster's name: the prefix of every key and channel in Redis, so several clusters can share one Redis.
    /// <value>The default is <c>chat</c>.</value>
    /// </summary>
    public string ClusterName { get; init; } = "chat";

    /// <summary>
    /// This node's name, unique in the cluster: it owns this node's nicks and members in Redis, and a
    /// node restarted under the same name clears what its previous run left there. Null or empty means the default.
    /// <value>The default is the host name and the process id (<c>host-1234</c>).</value>
    /// </summary>
    [ComputedDefault]
    public string NodeName { get; init => field = string.IsNullOrEmpty(value) ? DefaultNodeName : value; } = DefaultNodeName;

    private static string DefaultNodeName => $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// How long a node may go unheard before the others declare it lost, announce its people's quits and free their nicks.
    /// <value>The default is 10 s.</value>
    /// </summary>
    public TimeSpan NodeLease { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Lines this node keeps for other nodes while Redis is unreachable; past it a sender is told what was not delivered.
    /// <value>The default is 10000.</value>
    /// </summary>
    public int ClusterBacklog { get; init; } = 10_000;

    /// <summary>
    /// Entries each room's stream keeps in Redis (approximately; trimmed with <c>MAXLEN ~</c>): far above
    /// <see cref="HistoryLength"/>, so that a node that falls behind resumes without a gap.
    /// <value>The default is 10000.</value>
    /// </summary>
    public int StreamRetention { get; init; } = 10_000;

    /// <summary>
    /// The least level logged.
    /// <value>The default is <see cref="LogLevel.Information"/>.</value>
    /// </summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>
    /// How the console log is written: <see cref="LogFormat.Text"/> for a person (or journald), or
    /// <see cref="LogFormat.Json"/>, one JSON object per stdout line, the start-up lines included.
    /// <value>The default is <see cref="LogFormat.Text"/>.</value>
    /// </summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>
    /// Test-only: honour <c>/crash</c> and the host's fault hooks. Never on in production.
    /// <value>The default is <see langword="false"/>.</value>
    /// </summary>
    public bool EnableFaultInjection { get; init; }

    /// <summary>
    /// Test-only: the named service (see <c>ServiceNames</c>) crashes right after every start, so its
    /// supervisor reaches its restart intensity and escalates. Requires <see cref="EnableFaultInjection"/>.
    /// </summary>
    public string? CrashLoop { get; init; }

    /// <summary>
    /// Test-only: in a cluster, what this node reads from the logs in Redis reaches its rooms and inbox this
    /// much later (a node that falls behind). Requires <see cref="EnableFaultInjection"/>.
    /// <value>The default is zero (no delay).</value>
    /// </summary>
    public TimeSpan FollowerDelay { get; init; }

    /// <summary>The clock of every timeout in the server.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The TLS port of the line protocol (<c>openssl s_client</c>, <c>ncat --ssl</c>); 0 picks a free one. Needs
    /// <see cref="TlsCertificatePath"/> and <see cref="TlsKeyPath"/>.
    /// <value>The default is null (no TLS port).</value>
    /// </summary>
    public int? TlsPort { get; init; }

    /// <summary>
    /// The TLS port of IRC (6697 by convention); 0 picks a free one. Needs the certificate and key, and IRC on.
    /// <value>The default is null (no IRC TLS port).</value>
    /// </summary>
    public int? IrcTlsPort { get; init; }

    /// <summary>
    /// The PEM certificate of the TLS ports, with its chain after it (certbot's <c>fullchain.pem</c>);
    /// reloaded when the file or the symlink to it changes.
    /// <value>The default is null.</value>
    /// </summary>
    public string? TlsCertificatePath { get; init => field = NullIfEmpty(value); }

    /// <summary>
    /// The PEM private key of <see cref="TlsCertificatePath"/> (certbot's <c>privkey.pem</c>), unencrypted.
    /// <value>The default is null.</value>
    /// </summary>
    public string? TlsKeyPath { get; init => field = NullIfEmpty(value); }

    /// <summary>
    /// How long a TLS connection may take from accept to a finished handshake before it is closed.
    /// <value>The default is 10 s.</value>
    /// </summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the certificate files are checked for a change a file watcher missed (a swapped symlink's target).
    /// <value>The default is 30 s.</value>
    /// </summary>
    public TimeSpan TlsReloadCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether any TLS port is on (and so the certificate is loaded).</summary>
    public bool EnableTls => TlsPort is not null || (EnableIrc && IrcTlsPort is not null);

    // Observability (docs/operations.md, "Metrics and health").

    /// <summary>
    /// The HTTP port of <c>/metrics</c> (Prometheus text) and <c>/healthz</c>; 0 picks a free one; null serves neither (nothing of it is loaded).
    /// <value>The default is null (off).</value>
    /// </summary>
    public int? MetricsPort { get; init; }

    /// <summary>
    /// The IP address the metrics port listens on (text, as configuration gives it).
    /// <value>The default is 127.0.0.1 (this machine only).</value>
    /// </summary>
    public string MetricsBindAddress { get; init; } = "127.0.0.1";

    /// <summary>The parsed <see cref="MetricsBindAddress"/>.</summary>
    public IPAddress MetricsListenAddress => IPAddress.Parse(MetricsBindAddress);

    /// <summary>
    /// An OpenTelemetry collector (OTLP over gRPC, e.g. <c>http://localhost:4317</c>) to push metrics and sampled traces to; null pushes nothing.
    /// <value>The default is null (off).</value>
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> whose message names the first invalid option and its value (<see cref="ChatServerOptionsRules"/>).</summary>
    public void Validate() => ChatServerOptionsRules.Check(this);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
