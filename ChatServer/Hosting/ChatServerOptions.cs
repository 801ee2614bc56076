using System.Net;
using Microsoft.Extensions.Logging;

namespace ChatServer.Hosting;

/// <summary>Everything the server can be told at start. Validated before anything binds or starts.</summary>
public sealed record ChatServerOptions
{
    /// <summary>
    /// The TCP port; 0 picks a free one (the server prints the port it bound).
    /// <value>The default is 4040.</value>
    /// </summary>
    public int Port { get; init; } = 4040;

    /// <summary>
    /// The address to listen on.
    /// <value>The default is 0.0.0.0 (every IPv4 interface).</value>
    /// </summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

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
    /// How long a stopping client may take to flush what is queued for it before its socket is closed.
    /// <value>The default is 2 s.</value>
    /// </summary>
    public TimeSpan ShutdownFlushTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The least level logged.
    /// <value>The default is <see cref="LogLevel.Information"/>.</value>
    /// </summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>
    /// Test-only: honour <c>/crash</c> and the host's fault hooks. Never on in production.
    /// <value>The default is <see langword="false"/>.</value>
    /// </summary>
    public bool EnableFaultInjection { get; init; }

    /// <summary>The clock of every timeout in the server.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> whose message names the first invalid option and its value.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port must be 0 to 65535 (got {Port})");
        }

        if (MaxClients < 1)
        {
            throw new ArgumentException($"--max-clients must be at least 1 (got {MaxClients})");
        }

        if (HistoryLength < 0)
        {
            throw new ArgumentException($"--history must not be negative (got {HistoryLength})");
        }

        if (MaxLineBytes < 64)
        {
            throw new ArgumentException($"--max-line must be at least 64 (got {MaxLineBytes})");
        }

        if (MaxSendQueueBytes < MaxLineBytes)
        {
            throw new ArgumentException($"--max-sendq must be at least --max-line (got {MaxSendQueueBytes})");
        }
    }
}
