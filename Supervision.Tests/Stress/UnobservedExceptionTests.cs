using Microsoft.Extensions.Time.Testing;
using Supervision.Tests.Support;

namespace Supervision.Tests.Stress;

/// <summary>No path of the library leaves a faulted task that nobody awaits (TaskScheduler.UnobservedTaskException).</summary>
public class UnobservedExceptionTests
{
    private sealed class LateFailer() : Worker<LateFailer.Ask>(new WorkerOptions { Name = "late", TimeProvider = new FakeTimeProvider() })
    {
        public sealed record Ask(Reply<int> Reply, Task Go, TaskCompletionSource<bool> Failed);

        protected override async ValueTask HandleAsync(Ask message, CancellationToken cancellationToken)
        {
            await message.Go;
            message.Failed.TrySetResult(message.Reply.Fail(new InvalidOperationException("too late")));
        }
    }

    [Test]
    public async Task a_reply_failed_after_the_caller_timed_out_is_not_an_unobserved_exception()
    {
        using var unobserved = new UnobservedExceptions();
        var failed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await RunLateFailureAsync(failed);

        (await failed.Task.WaitAsync(EventLog.DefaultWait)).Should().BeTrue("the reply was failed, after the caller left");
        unobserved.AssertNone();
    }

    [Test]
    public async Task a_supervisor_request_that_fails_after_the_supervisor_was_killed_is_not_an_unobserved_exception()
    {
        using var unobserved = new UnobservedExceptions();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await RunKilledRequestAsync(entered, gate);

        unobserved.AssertNone();
    }

    // Separate methods so that no local of the test keeps the abandoned tasks alive for the collector.
    private static async Task RunLateFailureAsync(TaskCompletionSource<bool> failed)
    {
        var worker = new LateFailer();
        await worker.StartAsync();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = () => worker.CallAsync<int>(reply => new LateFailer.Ask(reply, go.Task, failed), TimeSpan.Zero);
        await call.Should().ThrowAsync<CallTimeoutException>();
        go.TrySetResult();
        await failed.Task.WaitAsync(EventLog.DefaultWait);
        worker.Stop();
        await worker.Completion.WaitAsync(EventLog.DefaultWait);
    }

    private static async Task RunKilledRequestAsync(TaskCompletionSource entered, TaskCompletionSource gate)
    {
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        var start = sup.StartChildAsync(new ChildSpec
        {
            Id = "fails-late",
            Start = async _ =>
            {
                entered.TrySetResult();
                await gate.Task;
                throw new InvalidOperationException("start failed after the supervisor was killed");
            },
        });
        await entered.Task.WaitAsync(EventLog.DefaultWait);
        sup.Kill();
        var wait = () => start;
        (await wait.Should().ThrowAsync<ProcessExitedException>()).Which.Reason.Should().Be(ExitReason.Killed);
        gate.TrySetResult();
        await sup.Completion;
    }
}
