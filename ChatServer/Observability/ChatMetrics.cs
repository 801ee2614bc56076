using System.Diagnostics.Metrics;

namespace ChatServer.Observability;

/// <summary>
/// The chat server's instruments, on the meter <c>ChatServer</c> (docs/operations.md, "Metrics and health").
/// One static meter: instruments are thread-safe, and a restarted worker keeps counting on the same ones.
/// Tags are bounded: a protocol (<c>line</c>, <c>irc</c>, <c>other</c>) and a refusal reason, never a
/// room, a nick or an address. Hot paths add once per room turn or per send, not once per line.
/// </summary>
internal static class ChatMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ChatServer";

    private static readonly Meter s_meter = new(MeterName);

    // Gauges are kept here and observed at each collection: a listener that starts after the server (the
    // exporter does) still sees the connections and rooms opened before it.
    private static readonly LiveCount s_lineConnections = new();
    private static readonly LiveCount s_ircConnections = new();
    private static readonly LiveCount s_otherConnections = new();

    /// <summary>Open connections, by protocol.</summary>
    public static ObservableUpDownCounter<long> Connections { get; } = s_meter.CreateObservableUpDownCounter(
        "chat.connections",
        () => new Measurement<long>[] { new(s_lineConnections.Value, s_line), new(s_ircConnections.Value, s_irc), new(s_otherConnections.Value, s_other) },
        "{connection}",
        "open client connections, by protocol");

    /// <summary>Connections handed to a client worker, by protocol.</summary>
    public static Counter<long> Accepted { get; } = s_meter.CreateCounter<long>("chat.connections.accepted", "{connection}", "connections accepted and handed to a client worker, by protocol");

    /// <summary>Connections refused at accept, by protocol and reason (<c>full</c>, <c>per_address</c>, <c>restarting</c>).</summary>
    public static Counter<long> Refused { get; } = s_meter.CreateCounter<long>("chat.connections.refused", "{connection}", "connections refused at accept, by protocol and reason");

    /// <summary>Messages people said (to a room or a person).</summary>
    public static Counter<long> MessagesReceived { get; } = s_meter.CreateCounter<long>("chat.messages.received", "{message}", "messages said by clients, to a room or a person");

    /// <summary>Lines written to clients' send queues.</summary>
    public static Counter<long> LinesSent { get; } = s_meter.CreateCounter<long>("chat.lines.sent", "{line}", "lines written to clients' send queues");

    /// <summary>Room lines handed to a recipient (one per line and recipient).</summary>
    public static Counter<long> Deliveries { get; } = s_meter.CreateCounter<long>("chat.deliveries", "{delivery}", "room lines handed to recipients, one per line and recipient");

    /// <summary>Rooms running in this process.</summary>
    public static LiveCount RoomCount { get; } = new();

    /// <summary>Rooms running on this server.</summary>
    public static ObservableUpDownCounter<long> Rooms { get; } = s_meter.CreateObservableUpDownCounter("chat.rooms", () => RoomCount.Value, "{room}", "rooms running on this server");

    /// <summary>Clients cut off because they did not read (send queue or mailbox full).</summary>
    public static Counter<long> SendQueueCutoffs { get; } = s_meter.CreateCounter<long>("chat.sendqueue.cutoffs", "{client}", "clients disconnected because their send queue or mailbox was full");

    /// <summary>Clients disconnected for flooding.</summary>
    public static Counter<long> FloodKicks { get; } = s_meter.CreateCounter<long>("chat.flood.kicks", "{client}", "clients disconnected for flooding");

    /// <summary>The <c>protocol</c> tag of a listener protocol's name (the line protocol logs as <c>chat</c>); anything else is <c>other</c>, so the tag stays bounded.</summary>
    public static KeyValuePair<string, object?> ProtocolTag(string protocolName) => protocolName switch
    {
        "chat" => s_line,
        "irc" => s_irc,
        _ => s_other,
    };

    /// <summary>The open connections of the protocol tagged <paramref name="protocol"/> (<see cref="ProtocolTag"/>).</summary>
    public static LiveCount ConnectionCount(KeyValuePair<string, object?> protocol) =>
        ReferenceEquals(protocol.Value, s_line.Value) ? s_lineConnections : ReferenceEquals(protocol.Value, s_irc.Value) ? s_ircConnections : s_otherConnections;

    private static readonly KeyValuePair<string, object?> s_line = new("protocol", "line");
    private static readonly KeyValuePair<string, object?> s_irc = new("protocol", "irc");
    private static readonly KeyValuePair<string, object?> s_other = new("protocol", "other");
}
