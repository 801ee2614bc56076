namespace ChatServer.Cluster;

/// <summary>
/// Test-only fault (<c>--fault-follower-delay</c>, honoured only with <c>--enable-fault-injection</c>): what a
/// log's follower reads from Redis reaches its owner late, in order, as on a node that falls behind. It lets the
/// tests show that a <c>/ping</c> waits for the other nodes' delivery.
/// </summary>
internal static class FollowerDelay
{
    /// <summary><paramref name="post"/> itself when <paramref name="delay"/> is zero; otherwise a post that hands each signal on after <paramref name="delay"/>, in the order posted.</summary>
    public static Action<FollowerSignal> Wrap(Action<FollowerSignal> post, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return post;
        }

        var gate = new Lock();
        var chain = Task.CompletedTask;
        return signal =>
        {
            var due = DateTimeOffset.UtcNow + delay;
            lock (gate)
            {
                chain = chain.ContinueWith(
                    async _ =>
                    {
                        if (due - DateTimeOffset.UtcNow is { } left && left > TimeSpan.Zero)
                        {
                            await Task.Delay(left).ConfigureAwait(false);
                        }

                        post(signal);
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.None,
                    TaskScheduler.Default).Unwrap();
            }
        };
    }
}
