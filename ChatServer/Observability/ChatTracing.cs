using System.Diagnostics;
using Supervision;

namespace ChatServer.Observability;

/// <summary>
/// The <see cref="ActivitySource"/> <c>ChatServer</c>: a message's path as three spans, parent to child,
/// <see cref="Received"/> (the sender's input), <see cref="InRoom"/> (the room's turn, tagged with its member
/// count) and <see cref="Delivered"/> (one span per fan-out, tagged with the deliveries it made; a span per
/// recipient would cost more than the delivery). Nothing is allocated unless a listener samples the source;
/// building with <c>-p:ChatTracing=false</c> compiles the calls out (docs/benchmarks.md measures the difference).
/// </summary>
internal static class ChatTracing
{
    /// <summary>The source's name.</summary>
    public const string SourceName = "ChatServer";

    /// <summary>A message said by a client, until it is handed to its room.</summary>
    public const string Received = "chat.message.received";

    /// <summary>The room's turn with the message, until its fan-out ends.</summary>
    public const string InRoom = "chat.message.room";

    /// <summary>The fan-out that handed the message to the recipients' queues.</summary>
    public const string Delivered = "chat.message.delivered";

    /// <summary>The sending client's process id (its line in the supervision tree).</summary>
    public const string ProcessTag = "chat.process.id";

    /// <summary>Members of the room at the message's turn.</summary>
    public const string MembersTag = "chat.room.members";

    /// <summary>Recipients the fan-out handed lines to, and the lines it carried.</summary>
    public const string DeliveriesTag = "chat.deliveries";

    /// <inheritdoc cref="DeliveriesTag"/>
    public const string LinesTag = "chat.lines";

    /// <summary>The source.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>The received span of a message said by <paramref name="sender"/>, or null when nothing samples it (one field read then).</summary>
    public static Activity? StartReceived(ProcessId sender)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // Tagged at the start, so that a listener's ActivityStarted sees whose message it is.
        return Source.StartActivity(Received, ActivityKind.Server, parentContext: default, tags: [new(ProcessTag, sender.Value)]);
    }

    /// <summary>
    /// The context a room's message carries: the current received span's when it is recorded, else null (nothing to
    /// carry). A sampler that drops a message still gets a propagation-only span from the SDK; the room need not follow it.
    /// </summary>
    public static ActivityContext? CurrentMessage() =>
        Source.HasListeners() && Activity.Current is { Source: var source, Recorded: true } current && ReferenceEquals(source, Source) ? current.Context : null;
}
