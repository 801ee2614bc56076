using Microsoft.Extensions.Logging;
using Supervision.Tests.Support;

namespace Supervision.Tests.Workers;

/// <summary>gen_server's terminate/3: when terminate/2 raises, the crash is reported and the process exits with it.</summary>
public class WorkerTerminateCrashTests
{
    private sealed class FaultyCleanup(WorkerOptions options, EventLog log) : Worker<string>(options)
    {
        protected override ValueTask HandleAsync(string message, CancellationToken cancellationToken)
        {
            if (message == "crash")
            {
                throw new InvalidOperationException("handler crash");
            }

            Stop(ExitReason.Normal);
            return ValueTask.CompletedTask;
        }

        protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
        {
            log.Add($"terminate:{reason.Kind}");
            throw new IOException("cleanup failed");
        }
    }

    [TestCase("stop", "Normal")]
    [TestCase("crash", "Failure")]
    public async Task a_terminate_crash_is_logged_with_the_original_reason_and_becomes_the_exit_reason(string message, string original)
    {
        using var logs = new LogCapture();
        var log = new EventLog();
        var worker = new FaultyCleanup(new WorkerOptions { Name = "cleanup", LoggerFactory = logs.Factory }, log);
        await worker.StartAsync();

        worker.Tell(message).Should().BeTrue();
        var reason = await worker.Completion.WaitAsync(EventLog.DefaultWait);

        reason.Kind.Should().Be(ExitKind.Failure);
        reason.Exception.Should().BeOfType<IOException>().Which.Message.Should().Be("cleanup failed");
        log.Events.Should().Equal($"terminate:{original}");
        var report = logs.WithId(LogEvents.TerminateCrashed).Should().ContainSingle().Subject;
        report.Level.Should().Be(LogLevel.Error);
        report.Category.Should().Be("Supervision.Worker");
        report.Exception.Should().BeOfType<IOException>();
        report.Message.Should().Contain("cleanup").And.Contain(original == "Normal" ? "normal" : "handler crash");
    }

    // A transient child whose cleanup throws after a normal stop has crashed: its supervisor restarts it.
    [Test]
    public async Task a_transient_child_whose_cleanup_throws_after_a_normal_stop_is_restarted()
    {
        var log = new EventLog();
        var incarnations = new List<FaultyCleanup>();
        var sup = await Supervisor.StartAsync(new SupervisorOptions(),
        [
            new ChildSpec
            {
                Id = "cleanup",
                Restart = RestartType.Transient,
                Start = async cancellationToken =>
                {
                    var worker = new FaultyCleanup(new WorkerOptions { Name = "cleanup" }, log);
                    lock (incarnations)
                    {
                        incarnations.Add(worker);
                    }

                    await worker.StartAsync(cancellationToken);
                    log.Add("start");
                    return worker;
                },
            },
        ]);
        await using var guard = sup.Guard();

        incarnations[0].Tell("stop").Should().BeTrue();

        await log.WaitForAsync("start", 2);
        var child = (await sup.WhichChildrenAsync()).Should().ContainSingle().Subject;
        child.State.Should().Be(ChildState.Running);
        child.RestartCount.Should().Be(1);
    }
}
