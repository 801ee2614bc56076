namespace Supervision.Tests.Workers;

/// <summary>What a kill must not leak (a socket) is released in OnKilled, before the exit is visible.</summary>
public class WorkerOnKilledTests
{
    private sealed class Resource() : Worker<int>(new WorkerOptions { Name = "resource" })
    {
        public List<string> Seen { get; } = [];

        public Exception? Throw { get; init; }

        protected override ValueTask HandleAsync(int message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        protected override void OnKilled()
        {
            // Seen from inside: the exit must not be visible yet.
            Seen.Add($"on-killed exited={HasExited} completed={Completion.IsCompleted}");
            if (Throw is not null)
            {
                throw Throw;
            }
        }

        protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
        {
            Seen.Add("terminate");
            return ValueTask.CompletedTask;
        }
    }

    [Test]
    public async Task A_kill_runs_OnKilled_once_on_the_killing_thread_before_the_exit_is_visible_and_no_stop_callback()
    {
        var worker = new Resource();
        await worker.StartAsync();

        worker.Kill();
        worker.Kill();

        worker.Seen.Should().Equal("on-killed exited=False completed=False");
        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Killed);
    }

    [Test]
    public async Task A_graceful_stop_runs_the_stop_callback_and_not_OnKilled()
    {
        var worker = new Resource();
        await worker.StartAsync();

        worker.Stop();

        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        worker.Seen.Should().Equal("terminate");
    }

    [Test]
    public async Task An_OnKilled_that_throws_reaches_the_killer_after_the_exit()
    {
        var worker = new Resource { Throw = new InvalidOperationException("release failed") };
        await worker.StartAsync();

        var kill = () => worker.Kill();

        kill.Should().Throw<InvalidOperationException>().WithMessage("release failed");
        worker.HasExited.Should().BeTrue();
        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Killed);
    }
}
