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
