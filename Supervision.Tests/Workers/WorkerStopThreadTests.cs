using Supervision.Tests.Dynamic;
using Supervision.Tests.Intensity;
using Supervision.Tests.Support;

namespace Supervision.Tests.Workers;

/// <summary>
/// A worker whose mailbox allows synchronous continuations resumes on the thread that completes its
/// mailbox: its stop must still never run its code (the stop callback) on the stopper's thread.
/// </summary>
public class WorkerStopThreadTests
{
    /// <summary>A worker whose stop callback blocks its thread until released, ignoring its token: the worst a child can do.</summary>
    private sealed class BlockingCleanup(ManualResetEventSlim release, TaskCompletionSource entered)
        : Worker<int>(new WorkerOptions { Name = "blocking", Mailbox = new MailboxOptions { AllowSynchronousContinuations = true } })
    {
        protected override ValueTask HandleAsync(int message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
        {
            entered.TrySetResult();
            release.Wait(CancellationToken.None);
            return ValueTask.CompletedTask;
        }
    }

    [Test]
    public async Task Stop_returns_before_the_stop_callback_runs()
    {
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new BlockingCleanup(release, entered);
        await worker.StartAsync();
        try
        {
            var stop = Task.Factory.StartNew(() => worker.Stop(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            await stop.WaitAsync(EventLog.DefaultWait);
            await entered.Task.WaitAsync(EventLog.DefaultWait);
            worker.HasExited.Should().BeFalse("the callback is still blocked, elsewhere");
        }
        finally
        {
            release.Set();
        }

        (await worker.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Shutdown);
    }

    // OTP shutdown/1: the shutdown timer runs from the stop request, whatever the child does.
    [Test]
    public async Task a_supervisor_kills_a_blocking_synchronous_child_after_its_timeout()
    {
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new SignallingTimeProvider();
        BlockingCleanup? child = null;
        var sup = await Supervisor.StartAsync(new SupervisorOptions { TimeProvider = clock },
        [
            new ChildSpec
            {
                Id = "blocking",
                Shutdown = ShutdownPolicy.After(TimeSpan.FromSeconds(1)),
                Start = async cancellationToken =>
                {
                    child = new BlockingCleanup(release, entered);
                    await child.StartAsync(cancellationToken);
                    return child;
                },
            },
        ]);
        await using var guard = sup.Guard();
        try
        {
            var terminating = sup.TerminateChildAsync("blocking");
            await clock.WaitForTimersAsync(1);
            clock.Advance(TimeSpan.FromSeconds(1));

            await terminating.WaitAsync(EventLog.DefaultWait);
            (await child!.Completion).Should().Be(ExitReason.Killed);
        }
        finally
        {
            release.Set();
        }
    }

    // Elixir's DynamicSupervisor stops all children at once: the stop of one blocking child does not hold up the others.
    [Test]
    public async Task a_dynamic_supervisor_stops_blocking_synchronous_children_concurrently()
    {
        using var release = new ManualResetEventSlim();
        var entered = Enumerable.Range(0, 3).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        foreach (var signal in entered)
        {
            await sup.StartChildAsync(new ChildSpec
            {
                Id = "blocking",
                Shutdown = ShutdownPolicy.Infinity,
                Start = async cancellationToken =>
                {
                    var child = new BlockingCleanup(release, signal);
                    await child.StartAsync(cancellationToken);
                    return child;
                },
            });
        }

        try
        {
            sup.Stop();

            // Every child is inside its stop callback at the same time: none waited for another.
            await Task.WhenAll(entered.Select(e => e.Task)).WaitAsync(EventLog.DefaultWait);
        }
        finally
        {
            release.Set();
        }

        (await sup.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Shutdown);
    }
}
