using Microsoft.Extensions.Logging;
using Supervision.Tests.Support;

namespace Supervision.Tests.Workers;

/// <summary>What a kill must not leak (a socket) is released in OnKilled, before the exit is visible; a kill always completes.</summary>
public class WorkerOnKilledTests
{
    private sealed class Resource(ILoggerFactory? loggers = null) : Worker<int>(new WorkerOptions { Name = "resource", LoggerFactory = loggers })
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
    public async Task An_OnKilled_that_throws_is_logged_and_the_kill_completes_for_the_killer()
    {
        using var logs = new LogCapture();
        var worker = new Resource(logs.Factory) { Throw = new InvalidOperationException("release failed") };
        await worker.StartAsync();

        var kill = () => worker.Kill();

        kill.Should().NotThrow("a kill always completes: a supervisor killing its children must reach every one");
        worker.HasExited.Should().BeTrue();
        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Killed);
        logs.Records.Should().ContainSingle(r => r.Id.Id == LogEvents.OnKilledCrashed)
            .Which.Exception.Should().BeOfType<InvalidOperationException>();
    }

    [Test]
    public async Task A_supervisor_whose_child_throws_in_OnKilled_still_kills_and_stops_every_other_child()
    {
        var first = new Resource();
        var throwing = new Resource { Throw = new InvalidOperationException("release failed") };
        var supervisor = await Supervisor.StartAsync(
            new SupervisorOptions { Name = "sup" },
            [
                new ChildSpec { Id = "first", Shutdown = ShutdownPolicy.BrutalKill, Start = async token => { await first.StartAsync(token); return first; } },
                new ChildSpec { Id = "throwing", Shutdown = ShutdownPolicy.BrutalKill, Start = async token => { await throwing.StartAsync(token); return throwing; } },
            ]);

        supervisor.Stop();

        (await supervisor.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        (await first.Completion.WithinTimeout()).Should().Be(ExitReason.Killed);
        (await throwing.Completion.WithinTimeout()).Should().Be(ExitReason.Killed);
    }
}
