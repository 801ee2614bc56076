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
            })
            : Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    }
}
