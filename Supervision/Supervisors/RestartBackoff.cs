using Polly;
using Polly.Retry;

namespace Supervision;

/// <summary>
/// Exponential backoff with jitter between failed restart attempts of one child, computed and timed
/// by a Polly retry pipeline on the supervisor's clock. Without it, a failed restart is retried as
/// soon as the supervisor has handled the messages already queued (OTP's <c>try_again_restart</c>).
/// Every attempt still counts against restart intensity.
/// </summary>
public sealed record RestartBackoff
{
    /// <summary>
    /// The delay before the first retry; each further retry doubles it.
    /// <value>The default is 100 ms.</value>
    /// </summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The cap on any one delay.
    /// <value>The default is 10 s.</value>
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether delays are randomised (Polly's decorrelated jitter) so that many children failing
    /// together do not retry in lock-step.
    /// <value>The default is <see langword="true"/>.</value>
    /// </summary>
    public bool UseJitter { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a non-positive initial delay or a cap below it.</summary>
    public void Validate()
    {
        if (InitialDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialDelay), InitialDelay, "invalid_backoff: the initial delay must be positive");
        }

        if (MaxDelay < InitialDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "invalid_backoff: the cap must not be below the initial delay");
        }
    }

    /// <summary>
    /// These delays as a Polly retry pipeline on <paramref name="timeProvider"/>, for a worker that spaces its own tries
    /// the way a supervisor spaces restarts: the callback's result says whether the try failed and another is wanted
    /// (<see langword="true"/>: wait the next delay, then call again; <see langword="false"/>: done). It retries without
    /// end; cancel the execution to stop. Throws <see cref="ArgumentOutOfRangeException"/> as <see cref="Validate"/>.
    /// </summary>
    public ResiliencePipeline<bool> BuildPipeline(TimeProvider timeProvider)
    {
        Validate();
        return new ResiliencePipelineBuilder<bool> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                // The outcome is "this attempt failed and another is wanted".
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = UseJitter,
                Delay = InitialDelay,
                MaxDelay = MaxDelay,
                MaxRetryAttempts = int.MaxValue,
            })
            .Build();
    }
}
