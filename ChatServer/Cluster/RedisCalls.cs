using StackExchange.Redis;

namespace ChatServer.Cluster;

/// <summary>What every cluster worker needs around a Redis call: which failures mean "Redis is away or slow", and how to let go of a call without leaving its failure unobserved.</summary>
internal static class RedisCalls
{
    /// <summary>Whether <paramref name="exception"/> says Redis could not be reached, did not answer in time, or its connection was closed: the call may be tried again later.</summary>
    public static bool Failed(Exception exception) => exception is RedisException or TimeoutException or ObjectDisposedException;

    /// <summary>Lets go of <paramref name="call"/>: if it fails later, its exception is observed (never an unobserved task exception).</summary>
    public static void Forget(Task call) =>
        _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
