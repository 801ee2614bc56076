using Microsoft.Extensions.Logging;

namespace Supervision;

/// <summary>
/// A static supervisor's flags (OTP's <c>sup_flags</c>) plus the .NET plumbing. Defaults follow
/// Elixir's <c>Supervisor</c>: one-for-one, 3 restarts in 5 s (OTP's own default intensity is 1).
/// </summary>
public sealed record SupervisorOptions
{
    /// <summary>
    /// The supervisor's name, in logs, metrics and the tree rendering.
    /// <value>The default is "supervisor".</value>
    /// </summary>
    public string Name { get; init; } = "supervisor";

    /// <summary>
    /// The restart strategy.
    /// <value>The default is <see cref="SupervisionStrategy.OneForOne"/>.</value>
    /// </summary>
    public SupervisionStrategy Strategy { get; init; } = SupervisionStrategy.OneForOne;

    /// <summary>
    /// Restarts allowed within <see cref="Period"/> (OTP's intensity). One more makes the supervisor
    /// stop all children and exit. Zero means the first restart request does so.
    /// <value>The default is 3.</value>
    /// </summary>
    public int MaxRestarts { get; init; } = 3;

    /// <summary>
    /// The sliding window of <see cref="MaxRestarts"/>.
    /// <value>The default is 5 s.</value>
    /// </summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether significant children's exits stop the supervisor.
    /// <value>The default is <see cref="AutoShutdown.Never"/>.</value>
    /// </summary>
    public AutoShutdown AutoShutdown { get; init; } = AutoShutdown.Never;

    /// <summary>
    /// Backoff between failed restart attempts, or <see langword="null"/> to retry at once as OTP does.
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
        if (!Enum.IsDefined(Strategy))
        {
            throw new ArgumentException($"invalid_strategy: {Strategy}", nameof(Strategy));
        }

        RestartIntensity.Validate(MaxRestarts, Period);
        if (!Enum.IsDefined(AutoShutdown))
        {
            throw new ArgumentException($"invalid_auto_shutdown: {AutoShutdown}", nameof(AutoShutdown));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        Backoff?.Validate();
    }
}
