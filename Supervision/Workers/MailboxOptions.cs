using System.Threading.Channels;

namespace Supervision;

/// <summary>The shape of a worker's mailbox. Validated when the worker is constructed.</summary>
public sealed record MailboxOptions
{
    /// <summary>An unbounded mailbox: senders never wait and a message is refused only after the worker stopped.</summary>
    public static MailboxOptions Unbounded { get; } = new();

    /// <summary>
    /// The most messages the mailbox holds, or <see langword="null"/> for unbounded.
    /// <value>The default is <see langword="null"/> (unbounded).</value>
    /// </summary>
    public int? Capacity { get; init; }

    /// <summary>
    /// What senders meet when a bounded mailbox is full. Ignored when unbounded.
    /// <value>The default is <see cref="MailboxFullMode.Wait"/>.</value>
    /// </summary>
    public MailboxFullMode FullMode { get; init; } = MailboxFullMode.Wait;

    /// <summary>
    /// Whether a message sent to the worker while it waits for mail is handled on the sender's
    /// thread, inside <c>Tell</c>: the worker's loop resumes there and runs (this message, and any
    /// others it then finds) until its first asynchronous wait, and only then does <c>Tell</c>
    /// return. It saves a thread-pool hand-off per wake-up, and it makes the sender pay for the
    /// handling, so it suits workers whose handlers are short and never block, fed by senders that
    /// hold no lock. Handling is still one message at a time, in order. A stop never runs the
    /// worker's stop callback on the stopper's thread (the exit path moves to the thread pool first).
    /// (<see cref="ChannelOptions.AllowSynchronousContinuations"/> of the mailbox channel.)
    /// <value>The default is <see langword="false"/>: the worker always resumes on the thread pool.</value>
    /// </summary>
    public bool AllowSynchronousContinuations { get; init; }

    /// <summary>A bounded mailbox of <paramref name="capacity"/> messages.</summary>
    public static MailboxOptions Bounded(int capacity, MailboxFullMode fullMode = MailboxFullMode.Wait) =>
        new() { Capacity = capacity, FullMode = fullMode };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a capacity below 1 or an undefined full-mode.</summary>
    public void Validate()
    {
        if (Capacity is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "invalid_capacity: a bounded mailbox holds at least 1 message");
        }

        if (!Enum.IsDefined(FullMode))
        {
            throw new ArgumentOutOfRangeException(nameof(FullMode), FullMode, "invalid_full_mode");
        }
    }

    internal Channel<T> CreateChannel<T>()
    {
        Validate();
        return Capacity is { } capacity
            ? Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
                AllowSynchronousContinuations = AllowSynchronousContinuations,
            })
            : Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = AllowSynchronousContinuations });
    }
}
