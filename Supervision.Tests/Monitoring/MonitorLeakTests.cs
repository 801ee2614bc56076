using Supervision.Tests.Support;

namespace Supervision.Tests.Monitoring;

/// <summary>A long-lived watcher of short-lived processes keeps no monitor of the dead (a room watching its clients).</summary>
public class MonitorLeakTests
{
    private sealed class Short() : Worker<int>(new WorkerOptions { Name = "short" })
    {
        protected override ValueTask HandleAsync(int message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class Watcher(int expected) : Worker<object>(new WorkerOptions { Name = "watcher" })
    {
        private int _downs;

        public TaskCompletionSource AllDown { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<MonitorRef> Abandoned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public sealed record Watch(IProcess Target);

        public sealed record WatchAfterKill(IProcess Target, Task Killed);

        protected override async ValueTask HandleAsync(object message, CancellationToken cancellationToken)
        {
            switch (message)
            {
                case Watch watch:
                    Monitor(watch.Target, down => down);
                    break;
                case WatchAfterKill late:
                    // Code a kill abandons: it keeps running and places a monitor after the exit.
                    Entered.TrySetResult();
                    await late.Killed;
                    Abandoned.TrySetResult(Monitor(late.Target, down => down));
                    break;
                case ProcessDown:
                    if (++_downs == expected)
                    {
                        AllDown.TrySetResult();
                    }

                    break;
            }
        }
    }

    // Issue 10 point 6: the target may exit between the monitor's placement and its bookkeeping.
    [Test]
    public async Task a_watcher_of_100_000_short_lived_workers_ends_with_no_monitor()
    {
        const int count = 100_000;
        var watcher = new Watcher(count);
        await watcher.StartAsync();
        try
        {
            var senders = Enumerable.Range(0, 2).Select(part => Task.Run(async () =>
            {
                for (var i = part; i < count; i += 2)
                {
                    var target = new Short();
                    await target.StartAsync();
                    watcher.Tell(new Watcher.Watch(target)).Should().BeTrue();

                    // Racing the watcher's Monitor call on purpose.
                    target.Stop();
                }
            }));
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(60));
            await watcher.AllDown.Task.WaitAsync(TimeSpan.FromSeconds(60));

            watcher.WatchingCount.Should().Be(0);
        }
        finally
        {
            watcher.Stop();
        }
    }

    [Test]
    public async Task a_monitor_placed_by_abandoned_code_after_a_kill_is_removed_from_its_target()
    {
        var target = new Short();
        await target.StartAsync();
        var watcher = new Watcher(1);
        await watcher.StartAsync();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Tell(new Watcher.WatchAfterKill(target, killed.Task)).Should().BeTrue();
        await watcher.Entered.Task.WaitAsync(EventLog.DefaultWait);

        watcher.Kill();
        killed.TrySetResult();
        var monitor = await watcher.Abandoned.Task.WaitAsync(EventLog.DefaultWait);

        monitor.IsActive.Should().BeFalse();
        target.MonitorCount.Should().Be(0, "the dead watcher holds no monitor on the living target");
        target.Stop();
    }
}
