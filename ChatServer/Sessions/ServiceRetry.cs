using ChatServer.Chat;
using Polly;
using Polly.Retry;
using Supervision;

namespace ChatServer.Sessions;

/// <summary>Calls to a service that may be restarting: retried with exponential backoff (Polly) until the caller stops.</summary>
internal static class ServiceRetry
{
    private static readonly ResiliencePipeline s_pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<ServiceUnavailableException>().Handle<ProcessExitedException>(),
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(20),
            MaxDelay = TimeSpan.FromMilliseconds(500),
            MaxRetryAttempts = 20,
        })
        .Build();

    /// <summary>
    /// Runs <paramref name="operation"/> once; if a service it needs is restarting, again through the
    /// retry pipeline (given up when <paramref name="stopping"/> is cancelled). The common case, where the
    /// first try succeeds, pays none of the pipeline's allocations.
    /// </summary>
    public static async Task<T> RunAsync<T>(CancellationToken stopping, Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ServiceUnavailableException or ProcessExitedException)
        {
            return await s_pipeline.ExecuteAsync(_ => new ValueTask<T>(operation()), stopping).ConfigureAwait(false);
        }
    }
}
