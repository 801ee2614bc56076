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

    // The request's start fails only after the kill, on the loop the kill abandoned; once that code is done
    // (the probe's token, held by the request, is collected) a faulted reply nobody awaits would be seen.
    [Test]
    public async Task a_supervisor_request_that_fails_after_the_supervisor_was_killed_is_not_an_unobserved_exception()
    {
        using var unobserved = new UnobservedExceptions();
        var probe = new CollectionProbe();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await RunKilledRequestAsync(probe, gate.Task);

        gate.TrySetResult();
        await probe.WaitAsync(EventLog.DefaultWait);

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

    /// <summary>Starts a child whose start waits for <paramref name="gate"/> and then throws, kills the supervisor meanwhile and drops every reference to it.</summary>
    private static async Task RunKilledRequestAsync(CollectionProbe probe, Task gate)
    {
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var token = probe.NewToken();
        var start = sup.StartChildAsync(new ChildSpec
        {
            Id = "fails-late",
            Start = async _ =>
            {
                GC.KeepAlive(token);
                entered.TrySetResult();
                await gate;
                throw new InvalidOperationException("start failed after the supervisor was killed");
            },
        });
        await entered.Task.WaitAsync(EventLog.DefaultWait);
        sup.Kill();
        var wait = () => start;
        (await wait.Should().ThrowAsync<ProcessExitedException>()).Which.Reason.Should().Be(ExitReason.Killed);
        (await sup.Completion).Should().Be(ExitReason.Killed);
    }
}
