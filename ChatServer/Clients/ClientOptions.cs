using ChatServer.Hosting;
using ChatServer.Network;
using Supervision;

namespace ChatServer.Clients;

/// <summary>The part of the server options a client worker needs: its limits and protections. Made from <see cref="ChatServerOptions"/>, where every default is written.</summary>
internal sealed record ClientOptions
{
    // Mailbox room beyond the send queue's lines and the read-ahead window, for control messages.
    private const int MailboxSlack = 16;

    /// <summary>How many input lines the reader may queue ahead of the worker (the <c>active: once</c> idea, with a small window).</summary>
    public const int ReadAhead = 8;

    private WorkerOptions? _workerOptions;

    /// <summary>The longest input line in bytes.</summary>
    public required int MaxLineBytes { get; init; }

    /// <summary>The send queue limits (sendq).</summary>
    public required SendQueueLimits SendQueue { get; init; }

    /// <summary>How long a stopping client may flush what is queued.</summary>
    public required TimeSpan ShutdownFlushTimeout { get; init; }

    /// <summary>Lines a client may send in a burst before the rate applies.</summary>
    public required int FloodBurst { get; init; }

    /// <summary>Lines per second a client may send on average; 0 turns flood control off.</summary>
    public required double FloodRate { get; init; }

    /// <summary>Dropped lines in a row after which a flooding client is disconnected.</summary>
    public required int FloodKick { get; init; }

    /// <summary>Disconnect a client that sends nothing for this long; <see cref="TimeSpan.Zero"/> turns it off.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>Whether to offer telnet BINARY mode to a client that shows it is telnet (see <c>TelnetFilter</c>).</summary>
    public required bool TelnetBinary { get; init; }

    /// <summary>Whether lines beyond the flood rate are held and run later (IRC: <see cref="FloodDelay"/>) rather than dropped.</summary>
    public bool DelayFloods { get; init; }

    /// <summary>Whether IRC's text codes (CTCP, colours, ...) survive input sanitising: on the IRC port.</summary>
    public bool KeepIrcCodes { get; init; }

    /// <summary>Whether <c>/crash</c> crashes the worker (tests only).</summary>
    public required bool EnableFaultInjection { get; init; }

    /// <summary>The clock of the client's timeouts.</summary>
    public required TimeProvider TimeProvider { get; init; }

    /// <summary>The server's cloak of addresses (one for every port, so a person has one host on all of them).</summary>
    public required HostCloak Cloak { get; init; }

    /// <summary>The client options of a server started with <paramref name="options"/>, hiding addresses behind <paramref name="cloak"/>.</summary>
    public static ClientOptions From(ChatServerOptions options, HostCloak cloak) => new()
    {
        Cloak = cloak,
        MaxLineBytes = options.MaxLineBytes,
        SendQueue = new SendQueueLimits(options.MaxSendQueueBytes, options.MaxSendQueueLines),
        ShutdownFlushTimeout = options.ShutdownFlushTimeout,
        FloodBurst = options.FloodBurst,
        FloodRate = options.FloodRate,
        FloodKick = options.FloodKick,
        IdleTimeout = options.IdleTimeout,
        TelnetBinary = options.TelnetBinary,
        EnableFaultInjection = options.EnableFaultInjection,
        TimeProvider = options.TimeProvider,
    };

    /// <summary>The options of every client worker, made once and shared.</summary>
    public WorkerOptions WorkerOptions => _workerOptions ??= new WorkerOptions
    {
        Name = "client",
        TimeProvider = TimeProvider,

        // Events for this client wait here at most briefly; a full mailbox means the worker cannot keep up (ClientWorker.Deliver).
        Mailbox = MailboxOptions.Bounded((int)SendQueue.MaxLines + ReadAhead + MailboxSlack, MailboxFullMode.FailFast) with
        {
            // A room's fan-out writes straight into an idle recipient's send queue on the room's thread, as an event
            // loop would: no thread-pool hand-off per recipient. The handlers of events never block.
            AllowSynchronousContinuations = true,
        },
    };
}
