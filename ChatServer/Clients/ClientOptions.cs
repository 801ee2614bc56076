namespace ChatServer.Clients;

/// <summary>The part of the server options a client worker needs: its limits and protections.</summary>
public sealed record ClientOptions
{
    /// <summary>The longest input line in bytes.</summary>
    public int MaxLineBytes { get; init; } = 2048;

    /// <summary>The most bytes queued for the client before it is disconnected (sendq).</summary>
    public int MaxSendQueueBytes { get; init; } = 1024 * 1024;

    /// <summary>The most lines queued for the client before it is disconnected.</summary>
    public int MaxSendQueueLines { get; init; } = 10_000;

    /// <summary>How long a stopping client may flush what is queued.</summary>
    public TimeSpan ShutdownFlushTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Lines a client may send in a burst before the rate applies.</summary>
    public int FloodBurst { get; init; } = 20;

    /// <summary>Lines per second a client may send on average; 0 turns flood control off.</summary>
    public double FloodRate { get; init; } = 10;

    /// <summary>Dropped lines in a row after which a flooding client is disconnected.</summary>
    public int FloodKick { get; init; } = 100;

    /// <summary>Disconnect a client that sends nothing for this long; <see cref="TimeSpan.Zero"/> turns it off.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Whether to offer telnet BINARY mode to a client that shows it is telnet (see <c>TelnetFilter</c>).</summary>
    public bool TelnetBinary { get; init; } = true;

    /// <summary>Whether <c>/crash</c> crashes the worker (tests only).</summary>
    public bool EnableFaultInjection { get; init; }

    /// <summary>How many input lines the reader may queue ahead of the worker (the <c>active: once</c> idea, with a small window).</summary>
    public int ReadAhead { get; init; } = 8;
}
