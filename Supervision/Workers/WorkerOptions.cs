using Microsoft.Extensions.Logging;

namespace Supervision;

/// <summary>Options every worker is constructed with. All have defaults.</summary>
public sealed record WorkerOptions
{
    /// <summary>The default options.</summary>
    public static WorkerOptions Default { get; } = new();

    /// <summary>
    /// The name used in logs, exceptions and introspection.
    /// <value>The default is the worker's type name.</value>
    /// </summary>
    public string? Name { get; init; }

    /// <summary>
    /// The mailbox's shape.
    /// <value>The default is <see cref="MailboxOptions.Unbounded"/>.</value>
    /// </summary>
    public MailboxOptions Mailbox { get; init; } = MailboxOptions.Unbounded;

    /// <summary>
    /// The clock for call timeouts (and for supervisors, restart intensity and backoff).
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long <c>CallAsync</c> waits for a reply when the caller gives no timeout.
    /// <value>The default is 5 seconds, like <c>GenServer.call/2</c>.</value>
    /// </summary>
    public TimeSpan DefaultCallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where the worker reports a crash of its own stop callback (gen_server's terminate error report).
    /// <value>The default is <see langword="null"/>: no logging.</value>
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Throws for an invalid mailbox or a negative call timeout (other than infinite).</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Mailbox);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        Mailbox.Validate();
        if (DefaultCallTimeout < TimeSpan.Zero && DefaultCallTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultCallTimeout), DefaultCallTimeout, "invalid_call_timeout");
        }
    }
}
