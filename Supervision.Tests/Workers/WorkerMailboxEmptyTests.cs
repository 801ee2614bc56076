using System.Collections.Concurrent;

namespace Supervision.Tests.Workers;

public class WorkerMailboxEmptyTests
{
    [Test]
    public async Task The_hook_runs_once_after_a_burst_not_after_every_message()
    {
        var worker = new BurstWorker();
        await worker.StartAsync();

        worker.Tell(1);
        await worker.HandlingFirst.Task.WithinTimeout();
        worker.Tell(2);
        worker.Tell(3);
        worker.Tell(4);
        worker.ReleaseFirst.SetResult();
        await worker.Emptied.Task.WithinTimeout();

        worker.Events.Should().Equal("1", "2", "3", "4", "empty");
        worker.Stop();
        await worker.Completion.WithinTimeout();
    }

    [Test]
    public async Task The_hook_does_not_run_once_a_stop_is_requested()
    {
        var worker = new BurstWorker();
        await worker.StartAsync();

        worker.Tell(1);
        await worker.HandlingFirst.Task.WithinTimeout();
        worker.Tell(2);
        worker.Stop();
        worker.ReleaseFirst.SetResult();
        await worker.Completion.WithinTimeout();

        worker.Events.Should().Equal("1", "terminate");
    }

    private sealed class BurstWorker : Worker<int>
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public TaskCompletionSource HandlingFirst { get; } = Signals.New();

        public TaskCompletionSource ReleaseFirst { get; } = Signals.New();

        public TaskCompletionSource Emptied { get; } = Signals.New();

        protected override async ValueTask HandleAsync(int message, CancellationToken cancellationToken)
        {
            if (message == 1)
            {
                HandlingFirst.SetResult();
                await ReleaseFirst.Task;
            }

            Events.Enqueue(message.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        protected override ValueTask OnMailboxEmptyAsync(CancellationToken cancellationToken)
        {
            Events.Enqueue("empty");
            Emptied.TrySetResult();
            return ValueTask.CompletedTask;
        }

        protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
        {
            Events.Enqueue("terminate");
            return ValueTask.CompletedTask;
        }
    }
}
