using Microsoft.Extensions.Logging;
using Supervision.Tests.Support;

namespace Supervision.Tests.Hosting;

/// <summary>Running a root supervisor as a program's body and its exit code.</summary>
public class SupervisionHostTests
{
    private static readonly TimeSpan Wait = EventLog.DefaultWait;

    private readonly ProcessCleanup _cleanup = new();

    [TearDown]
    public Task TearDown() => _cleanup.StopAllAsync();

    // Host contract: the stop token stops the tree gracefully (children get shutdown, newest first) and the exit code is 0.
    [Test]
    public async Task the_stop_token_stops_the_tree_gracefully_and_returns_zero()
    {
        var children = new TestChildren(new EventLog());
        using var stop = new CancellationTokenSource();
        Supervisor? root = null;

        var run = SupervisionHost.RunAsync(
            async cancellationToken => root = _cleanup.Track(await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a"), children.Spec("b")], cancellationToken)),
            stop.Token);
        await children.Log.WaitForAsync("start:b");
        await root!.WhichChildrenAsync();
        run.IsCompleted.Should().BeFalse("the host runs until asked to stop");

        await stop.CancelAsync();

        (await run.WaitAsync(Wait)).Should().Be(0);
        (await root.Completion).Should().Be(ExitReason.Shutdown);
        children.Log.Events.Should().EndWith(["stop:b:shutdown", "stop:a:shutdown"]);
    }

    // Host contract (deliberate difference: giving up is a failure): a root that reaches its restart intensity yields exit code 1.
    [Test]
    public async Task a_root_that_gives_up_returns_one()
    {
        var children = new TestChildren(new EventLog());
        using var stop = new CancellationTokenSource();

        var run = SupervisionHost.RunAsync(
            async cancellationToken => _cleanup.Track(await Supervisor.StartAsync(new SupervisorOptions { MaxRestarts = 0 }, [children.Spec("a"), children.Spec("b")], cancellationToken)),
            stop.Token);
        await children.Log.WaitForAsync("start:b");
        await children.CrashAsync("a");

        (await run.WaitAsync(Wait)).Should().Be(1);
        children.Log.Events.Should().EndWith("stop:b:shutdown");
    }

    // Host contract (OTP start-up failure, failed_to_start_child): a root that fails to start yields exit code 1 and leaves nothing running.
    [Test]
    public async Task a_root_that_fails_to_start_returns_one()
    {
        var children = new TestChildren(new EventLog());
        children.FailNextStarts("b", 1);
        using var stop = new CancellationTokenSource();

        var run = SupervisionHost.RunAsync(
            async cancellationToken => _cleanup.Track(await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a"), children.Spec("b")], cancellationToken)),
            stop.Token);

        (await run.WaitAsync(Wait)).Should().Be(1);
        children.Log.Events.Should().Equal("start:a", "start_failed:b", "stop:a:shutdown");
    }

    // Host contract: a stop during the start cancels it (the start token is the stop token); that failed start is the requested stop, so 0 and no critical log.
    [Test]
    public async Task a_stop_during_the_start_cancels_it_and_returns_zero()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new ChildSpec
        {
            Id = "slow",
            Start = async cancellationToken =>
            {
                entered.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                return null;
            },
        };
        using var stop = new CancellationTokenSource();

        var run = SupervisionHost.RunAsync(
            async cancellationToken => _cleanup.Track(await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a"), slow], cancellationToken)),
            stop.Token,
            logs.Factory.CreateLogger("host"));
        await entered.Task.WaitAsync(Wait);
        await stop.CancelAsync();

        (await run.WaitAsync(Wait)).Should().Be(0);
        await children["a"].Completion.WaitAsync(Wait);
        logs.WithId(LogEvents.RootExited).Should().BeEmpty();
    }

    // Host contract: a start that fails for a reason of its own is a failed start (1, critical log) even if a stop was requested meanwhile.
    [TestCase(true, TestName = "a_child_start_failure_of_its_own_during_a_stop_returns_one")]
    [TestCase(false, TestName = "a_start_function_failure_of_its_own_during_a_stop_returns_one")]
    public async Task a_start_failure_of_its_own_during_a_stop_returns_one(bool inChild)
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failure = new InvalidOperationException("a failure of the start's own, not the stop");

        // Ignores the token: it fails with its own exception after the stop was requested.
        async Task FailLaterAsync()
        {
            entered.TrySetResult();
            await release.Task;
            throw failure;
        }

        var failing = new ChildSpec
        {
            Id = "failing",
            Start = async _ =>
            {
                await FailLaterAsync();
                return null;
            },
        };
        using var stop = new CancellationTokenSource();

        var run = SupervisionHost.RunAsync(
            async cancellationToken =>
            {
                if (!inChild)
                {
                    await FailLaterAsync();
                }

                return _cleanup.Track(await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a"), failing], cancellationToken));
            },
            stop.Token,
            logs.Factory.CreateLogger("host"));
        await entered.Task.WaitAsync(Wait);
        await stop.CancelAsync();
        release.TrySetResult();

        (await run.WaitAsync(Wait)).Should().Be(1);
        var critical = logs.WithId(LogEvents.RootExited).Should().ContainSingle().Subject;
        critical.Level.Should().Be(LogLevel.Critical);
        (critical.Exception is ChildStartException started ? started.InnerException : critical.Exception).Should().BeSameAs(failure);
    }

    // Host contract (OTP auto_shutdown): a root that stops normally by auto-shutdown yields exit code 0.
    [Test]
    public async Task a_root_that_shuts_itself_down_returns_zero()
    {
        var children = new TestChildren(new EventLog());
        using var stop = new CancellationTokenSource();

        var run = SupervisionHost.RunAsync(
            async cancellationToken => _cleanup.Track(await Supervisor.StartAsync(
                new SupervisorOptions { AutoShutdown = AutoShutdown.AnySignificant },
                [children.Spec("w"), children.Spec("job", RestartType.Temporary, significant: true)],
                cancellationToken)),
            stop.Token);
        await children.Log.WaitForAsync("start:job");
        await children.ExitAsync("job", ExitReason.Normal);

        (await run.WaitAsync(Wait)).Should().Be(0);
        children.Log.Events.Should().EndWith("stop:w:shutdown");
    }

    // Host contract: a root that crashes while running yields exit code 1 (a stop with a failure reason).
    [Test]
    public async Task a_root_that_exits_abnormally_returns_one()
    {
        var children = new TestChildren(new EventLog());
        using var stop = new CancellationTokenSource();
        Supervisor? root = null;

        var run = SupervisionHost.RunAsync(
            async cancellationToken => root = _cleanup.Track(await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a")], cancellationToken)),
            stop.Token);
        await children.Log.WaitForAsync("start:a");
        root!.Stop(ExitReason.Failure(new InvalidOperationException("root crashed")));

        (await run.WaitAsync(Wait)).Should().Be(1);
    }
}
