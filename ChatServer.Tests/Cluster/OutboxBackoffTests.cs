using ChatServer.Chat;
using ChatServer.Cluster;
using ChatServer.Hosting;
using ChatServer.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Supervision;
using Supervision.Tests.Intensity;
using ConnectionMultiplexer = StackExchange.Redis.ConnectionMultiplexer;

namespace ChatServer.Tests.Cluster;

/// <summary>
/// The outbox's waits between tries after a failed write, timed by Polly on a <see cref="SignallingTimeProvider"/>,
/// against a real Redis that answers pings but refuses writes (out of memory, an error the outbox retries).
/// </summary>
[TestFixture]
public sealed class OutboxBackoffTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly StartedProcesses _processes = new();

    [TearDown]
    public Task StopEverythingAsync() => _processes.StopAllAsync(Wait);

    [Test]
    public async Task A_refused_write_is_retried_after_growing_waits_capped_at_a_second_and_written_once_Redis_takes_it()
    {
        const int failedRetries = 8;
        await using var redis = await RedisServer.StartAsync();
        var node = ClusterNode.From(new ChatServerOptions { Redis = redis.ConfigurationString, NodeName = "n1" })!;
        var keys = node.Keys.Room("#backoff");
        await using var watcher = await ConnectionMultiplexer.ConnectAsync(redis.ConfigurationString);
        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await watcher.GetSubscriber().SubscribeAsync(keys.Channel, (_, _) => published.TrySetResult());

        var names = new ProcessRegistry();
        var clock = new SignallingTimeProvider();

        // The link probes on the real clock: every timer on the fake one is a wait of the outbox's backoff.
        var link = _processes.Track(new ClusterLink(node, NullLogger.Instance, TimeProvider.System));
        await link.StartAsync();
        names.Register(ServiceNames.ClusterLink, link);
        var outbox = _processes.Track(new ClusterOutbox(node, names, NullLogger.Instance, clock));
        await outbox.StartAsync();

        (await redis.CommandAsync("CONFIG", "SET", "maxmemory", "1")).Should().Be("OK");
        var rejected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var entry = new ClusterEntry { Kind = EntryKinds.Say, Member = "n1/test/1", Nick = "alice", Text = "hello", At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        outbox.Append(new OutboxWrite(keys, AppendEffects.Line, entry, "#backoff", IsLine: true, (_, why) => rejected.TrySetResult(why))).Should().BeTrue();

        // Each wait exists before the clock moves past it (Polly creates its timer after the failed try).
        for (var i = 0; i < failedRetries; i++)
        {
            await clock.WaitForTimersAsync(i + 1);
            clock.Advance(clock.DueTimes[i]);
        }

        await clock.WaitForTimersAsync(failedRetries + 1);
        var waits = clock.DueTimes;
        waits.Should().AllSatisfy(wait => wait.Should().BePositive().And.BeLessThanOrEqualTo(ClusterOutbox.LongestRetry), "a second at most between tries: {0}", string.Join(", ", waits));

        // With Polly's jitter the first wait is at most about 1.4 x the 100 ms median, and the waits telescope: the
        // first five add up to at least 2^4 x 100 ms / 1.4 unless one is already capped at a second. A fixed
        // 100 ms retry would add up to half a second; a first wait at the cap would be no backoff at all.
        waits[0].Should().BeLessThan(TimeSpan.FromMilliseconds(200), "the first wait is short");
        TimeSpan.FromTicks(waits.Take(5).Sum(wait => wait.Ticks)).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), "the waits grow: {0}", string.Join(", ", waits));
        rejected.Task.IsCompleted.Should().BeFalse("a write Redis cannot take for now is kept, never dropped");

        (await redis.CommandAsync("CONFIG", "SET", "maxmemory", "0")).Should().Be("OK");
        clock.Advance(waits[failedRetries]);
        await published.Task.WaitAsync(Wait);
        (await redis.CommandAsync("XLEN", (string)keys.Log!)).Should().Be("1", "written once");
        clock.DueTimes.Should().HaveCount(failedRetries + 1, "no wait follows the written batch");
    }
}
