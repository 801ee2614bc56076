using Microsoft.Extensions.Logging;

namespace Supervision;

/// <summary>A dynamic supervisor's flags, with Elixir's <c>DynamicSupervisor</c> defaults (3 restarts in 5 s, no child limit).</summary>
public sealed record DynamicSupervisorOptions
{
    /// <summary>
    /// The supervisor's name.
    /// <value>The default is "dynamic_supervisor".</value>
    /// </summary>
    public string Name { get; init; } = "dynamic_supervisor";

    /// <summary>
    /// Restarts allowed within <see cref="Period"/>, counted over all children.
    /// <value>The default is 3.</value>
    /// </summary>
    public int MaxRestarts { get; init; } = 3;

    /// <summary>
    /// The sliding window of <see cref="MaxRestarts"/>.
    /// <value>The default is 5 s.</value>
    /// </summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most children at once, restarting ones included, or <see langword="null"/> for no limit.
    /// <value>The default is <see langword="null"/>.</value>
    /// </summary>
    public int? MaxChildren { get; init; }

    /// <summary>
    /// Backoff between failed restart attempts, or <see langword="null"/> to retry at once.
    /// <value>The default is <see langword="null"/>.</value>
    /// </summary>
    public RestartBackoff? Backoff { get; init; }

    /// <summary>
    /// The clock of the intensity window, backoff and shutdown timeouts.
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where supervisor reports go.
    /// <value>The default is <see langword="null"/>: no logging.</value>
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the OTP error for invalid flags.</summary>
    public void Validate()
    {
        RestartIntensity.Validate(MaxRestarts, Period);
        if (MaxChildren is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxChildren), MaxChildren, "invalid_max_children: must not be negative");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        Backoff?.Validate();
    }
}
