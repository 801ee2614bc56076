using Supervision.Tests.Intensity;
using Supervision.Tests.Support;

namespace Supervision.Tests.Shutdown;

/// <summary>How supervisors stop their children: brutal kill, timeout then kill, infinity, and killing a supervisor.</summary>
public class ShutdownTests
{
    private static readonly TimeSpan Wait = EventLog.DefaultWait;

    private readonly ProcessCleanup _cleanup = new();
    private readonly List<TaskCompletionSource> _gates = [];

    [TearDown]
    public async Task TearDown()
    {
        foreach (var gate in _gates)
        {
            gate.TrySetResult();
        }

        _gates.Clear();
        await _cleanup.StopAllAsync();
    }

    // OTP: a child that ignores its shutdown is killed after its timeout, and the supervisor's stop completes (sup_stop_timeout).
    [Test]
    public async Task a_child_that_ignores_its_stop_is_killed_after_its_timeout_and_the_supervisor_stops()
    {
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions(),
            [children.Spec("a"), children.Spec("h", ignoreStop: true, shutdown: ShutdownPolicy.After(TimeSpan.FromMilliseconds(200)))]));
        var h = children["h"];

        sup.Stop();

        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        (await h.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Killed);
        (await children["a"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        children.Log.Events.Should().NotContain(e => e.StartsWith("stop:h", StringComparison.Ordinal), "a killed child runs no stop callback");
        children.Log.Events.Should().EndWith("stop:a:shutdown");
    }

    // OTP: terminate_child of a child that ignores its shutdown kills it after the timeout (sup_stop_timeout, via terminate_child).
    [Test]
    public async Task terminate_child_kills_a_child_that_ignores_its_stop_after_its_timeout()
    {
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions(),
            [children.Spec("h", ignoreStop: true, shutdown: ShutdownPolicy.After(TimeSpan.FromMilliseconds(200)))]));
        var h = children["h"];

        await sup.TerminateChildAsync("h").WaitAsync(Wait);

        h.Completion.IsCompleted.Should().BeTrue();
        (await h.Completion).Should().Be(ExitReason.Killed);
        (await sup.WhichChildrenAsync()).Should().ContainSingle().Which.State.Should().Be(ChildState.Terminated);

        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // OTP: the kill comes when the shutdown timeout elapses on the supervisor's clock, not before (shutdown/1 with an integer timeout).
    [Test]
    public async Task the_kill_comes_exactly_when_the_shutdown_timeout_elapses()
    {
        var clock = new SignallingTimeProvider();
        var log = new EventLog();
        var gate = Gate();
        GatedChild? child = null;
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { TimeProvider = clock },
            [GatedChild.Spec("g", log, gate.Task, ShutdownPolicy.After(TimeSpan.FromSeconds(1)), c => child = c)]));

        var stopping = sup.TerminateChildAsync("g");
        await log.WaitForAsync("terminating:g");
        await clock.WaitForTimersAsync(1);
        clock.DueTimes[0].Should().Be(TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromMilliseconds(999));
        child!.HasExited.Should().BeFalse("the timeout has not elapsed");
        stopping.IsCompleted.Should().BeFalse();

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await stopping.WaitAsync(Wait);
        (await child.Completion).Should().Be(ExitReason.Killed);
        log.Events.Should().NotContain("stop:g:shutdown");

        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // OTP: a brutal_kill child exits killed at once and runs no stop callback (sup_stop_brutal_kill).
    [Test]
    public async Task a_brutal_kill_child_exits_killed_and_runs_no_stop_callback()
    {
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions(),
            [children.Spec("a"), children.Spec("k", shutdown: ShutdownPolicy.BrutalKill)]));
        var k = children["k"];

        sup.Stop();

        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        (await k.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Killed);
        children.Log.Events.Should().NotContain(e => e.StartsWith("stop:k", StringComparison.Ordinal));
        children.Log.Events.Should().EndWith("stop:a:shutdown");
    }

    // OTP: brutal_kill does not wait for the child's cooperation even when it would take forever to stop (sup_stop_brutal_kill with a gated child).
    [Test]
    public async Task terminate_child_with_brutal_kill_does_not_wait_for_the_stop_callback()
    {
        var log = new EventLog();
        var gate = Gate();
        GatedChild? child = null;
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions(),
            [GatedChild.Spec("g", log, gate.Task, ShutdownPolicy.BrutalKill, c => child = c)]));

        await sup.TerminateChildAsync("g").WaitAsync(Wait);

        (await child!.Completion).Should().Be(ExitReason.Killed);
        log.Events.Should().NotContain("terminating:g");

        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // OTP: dynamic children are all killed under brutal_kill (sup_stop_brutal_kill_dynamic).
    [Test]
    public async Task a_dynamic_supervisor_kills_all_its_brutal_kill_children()
    {
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions()));
        for (var i = 0; i < 10; i++)
        {
            await sup.StartChildAsync(children.Spec($"c{i}", shutdown: ShutdownPolicy.BrutalKill));
        }

        var started = Enumerable.Range(0, 10).Select(i => children[$"c{i}"]).ToList();

        sup.Stop();

        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        var reasons = await Task.WhenAll(started.Select(c => c.Completion)).WaitAsync(Wait);
        reasons.Should().AllBeEquivalentTo(ExitReason.Killed);
        children.Log.Events.Should().NotContain(e => e.StartsWith("stop:", StringComparison.Ordinal));
    }

    // OTP: infinity waits as long as the child takes; the supervisor's stop is not complete until the child has exited (sup_stop_infinity).
    [Test]
    public async Task infinity_waits_for_the_child_however_long_it_takes()
    {
        var clock = new SignallingTimeProvider();
        var log = new EventLog();
        var gate = Gate();
        GatedChild? child = null;
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { TimeProvider = clock },
            [GatedChild.Spec("g", log, gate.Task, ShutdownPolicy.Infinity, c => child = c)]));

        sup.Stop();
        await log.WaitForAsync("terminating:g");

        // Any finite timeout on the supervisor's clock would fire now.
        clock.Advance(TimeSpan.FromDays(1));
        await Task.Yield();
        sup.Completion.IsCompleted.Should().BeFalse();
        child!.HasExited.Should().BeFalse();
        clock.DueTimes.Should().BeEmpty("infinity sets no timer");

        gate.SetResult();

        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        child.Completion.IsCompleted.Should().BeTrue("the supervisor exits only after its child");
        (await child.Completion).Should().Be(ExitReason.Shutdown);
        log.Events.Should().Equal("start:g", "terminating:g", "stop:g:shutdown");
    }

    // OTP: infinity is the default for supervisor children, so a parent waits for the whole subtree to stop (sup_stop_infinity, checklist 39).
    [Test]
    public async Task a_supervisor_child_waits_by_default_for_its_whole_subtree()
    {
        var clock = new SignallingTimeProvider();
        var log = new EventLog();
        var gate = Gate();
        GatedChild? leaf = null;
        var midSpec = ChildSpec.ForSupervisor(
            "mid",
            new SupervisorOptions { Name = "mid", TimeProvider = clock },
            [GatedChild.Spec("leaf", log, gate.Task, ShutdownPolicy.Infinity, c => leaf = c)]);
        midSpec.Shutdown.Should().BeNull();
        midSpec.EffectiveShutdown.Should().Be(ShutdownPolicy.Infinity);
        var root = _cleanup.Track(await Supervisor.StartAsync(new SupervisorOptions { Name = "root", TimeProvider = clock }, [midSpec]));
        var mid = (await root.WhichChildrenAsync())[0].Process!;

        root.Stop();
        await log.WaitForAsync("terminating:leaf");
        clock.Advance(TimeSpan.FromDays(1));
        await Task.Yield();

        root.Completion.IsCompleted.Should().BeFalse();
        mid.HasExited.Should().BeFalse("a supervisor child is not killed after the worker default of 5 s");
        leaf!.HasExited.Should().BeFalse();
        clock.DueTimes.Should().BeEmpty("neither the root nor mid sets a shutdown timer");

        gate.SetResult();

        (await root.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        mid.Completion.IsCompleted.Should().BeTrue();
        (await mid.Completion).Should().Be(ExitReason.Shutdown);
        (await leaf.Completion).Should().Be(ExitReason.Shutdown);
        log.Events.Should().EndWith("stop:leaf:shutdown");
    }

    // OTP: static children are stopped one at a time, newest first, each waited for before the next (order_of_children, checklist 40).
    [Test]
    public async Task static_children_are_stopped_one_at_a_time_newest_first()
    {
        var log = new EventLog();
        var gates = new[] { "a", "b", "c" }.ToDictionary(id => id, _ => Gate());
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions(),
            gates.Select(g => GatedChild.Spec(g.Key, log, g.Value.Task, ShutdownPolicy.Infinity, _ => { }))));

        sup.Stop();
        await log.WaitForAsync("terminating:c");
        log.Events.Should().NotContain("terminating:b", "b is stopped only after c has exited");

        gates["c"].SetResult();
        await log.WaitForAsync("terminating:b");
        log.Events.Should().NotContain("terminating:a");

        gates["b"].SetResult();
        await log.WaitForAsync("terminating:a");
        gates["a"].SetResult();

        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        log.Events.Skip(3).Should().Equal(
            "terminating:c", "stop:c:shutdown", "terminating:b", "stop:b:shutdown", "terminating:a", "stop:a:shutdown");
    }

    // OTP: a child that exits on its own during the supervisor's shutdown keeps its own reason, the unexpected reason is reported as shutdown_error and the shutdown completes (sup_stop_race, checklist 42-43).
    [Test]
    public async Task a_child_exiting_on_its_own_during_shutdown_keeps_its_reason_and_the_shutdown_completes()
    {
        using var logs = new LogCapture();
        var log = new EventLog();
        var children = new TestChildren(log);
        var gate = Gate();
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { LoggerFactory = logs.Factory },
            [children.Spec("b"), GatedChild.Spec("g", log, gate.Task, ShutdownPolicy.Infinity, _ => { })]));
        var b = children["b"];

        sup.Stop();
        await log.WaitForAsync("terminating:g");

        // While the supervisor waits for g, b crashes by itself.
        await children.CrashAsync("b");
        gate.SetResult();

        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        (await b.Completion).Kind.Should().Be(ExitKind.Failure);
        log.Count("stop:b:failure").Should().Be(1);
        log.Events.Should().NotContain("stop:b:shutdown");
        logs.Records.Should().Contain(r => r.Id.Id == LogEvents.ShutdownError && r.Message.Contains("shutdown_error b", StringComparison.Ordinal));
    }

    // OTP: the shutdown timeout must not be negative (invalid_shutdown); zero is allowed.
    [Test]
    public void a_negative_shutdown_timeout_is_rejected()
    {
        FluentActions.Invoking(() => ShutdownPolicy.After(TimeSpan.FromMilliseconds(-1)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*invalid_shutdown*");
        var zero = ShutdownPolicy.After(TimeSpan.Zero);
        zero.Kind.Should().Be(ShutdownKind.Timeout);
        zero.Timeout.Should().Be(TimeSpan.Zero);
    }

    // OTP: shutdown defaults are 5000 ms for workers and infinity for supervisors (sup_start_map defaults).
    [Test]
    public void shutdown_defaults_are_five_seconds_for_workers_and_infinity_for_supervisors()
    {
        ShutdownPolicy.DefaultForWorker.Should().Be(ShutdownPolicy.After(TimeSpan.FromSeconds(5)));
        ShutdownPolicy.DefaultForWorker.ToString().Should().Be("5000 ms");
        ShutdownPolicy.Infinity.Kind.Should().Be(ShutdownKind.Infinity);
        ShutdownPolicy.Infinity.ToString().Should().Be("infinity");
        ShutdownPolicy.BrutalKill.Kind.Should().Be(ShutdownKind.BrutalKill);
        ShutdownPolicy.BrutalKill.ToString().Should().Be("brutal_kill");

        var worker = new ChildSpec { Id = "w", Start = _ => Task.FromResult<IProcess?>(null) };
        worker.Shutdown.Should().BeNull();
        worker.EffectiveShutdown.Should().Be(ShutdownPolicy.DefaultForWorker);
        (worker with { Type = ChildType.Supervisor }).EffectiveShutdown.Should().Be(ShutdownPolicy.Infinity);
        ChildSpec.ForSupervisor("s", new SupervisorOptions(), []).EffectiveShutdown.Should().Be(ShutdownPolicy.Infinity);
        ChildSpec.ForDynamicSupervisor("d", new DynamicSupervisorOptions()).EffectiveShutdown.Should().Be(ShutdownPolicy.Infinity);
        (worker with { Shutdown = ShutdownPolicy.BrutalKill }).EffectiveShutdown.Should().Be(ShutdownPolicy.BrutalKill);
    }

    // OTP/Elixir: dynamic children are stopped concurrently, so ten 300 ms timeouts take about one, not the sum (simple_one_for_one_shutdown, sup_stop_timeout_dynamic).
    [Test]
    public async Task a_dynamic_supervisor_stops_children_that_ignore_their_stop_concurrently()
    {
        var clock = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { TimeProvider = clock }));
        for (var i = 0; i < 10; i++)
        {
            await sup.StartChildAsync(children.Spec($"c{i}", ignoreStop: true, shutdown: ShutdownPolicy.After(TimeSpan.FromMilliseconds(300))));
        }

        var started = Enumerable.Range(0, 10).Select(i => children[$"c{i}"]).ToList();

        sup.Stop();

        // All ten shutdown timers run at once (one after another, only one would exist): one 300 ms step kills them all.
        await clock.WaitForTimersAsync(10);
        clock.Advance(TimeSpan.FromMilliseconds(300));
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        var reasons = await Task.WhenAll(started.Select(c => c.Completion)).WaitAsync(Wait);
        reasons.Should().AllBeEquivalentTo(ExitReason.Killed);
    }

    // Deliberate difference (forced stop = Kill): killing a supervisor completes at once with Killed and kills its children, even one that ignores its token (checklist 44).
    [Test]
    public async Task killing_a_supervisor_completes_at_once_and_kills_its_children()
    {
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions(),
            [children.Spec("a"), children.Spec("h", ignoreStop: true)]));
        var a = children["a"];
        var h = children["h"];

        sup.Kill();

        sup.Completion.IsCompleted.Should().BeTrue();
        (await sup.Completion).Should().Be(ExitReason.Killed);
        (await a.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Killed);
        (await h.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Killed);
        children.Log.Events.Should().Equal("start:a", "start:h");
    }

    // Deliberate difference (forced stop = Kill): a supervisor killed while it waits for a child's stop kills that child too, as a link would (checklist 44).
    [Test]
    public async Task killing_a_supervisor_during_its_shutdown_kills_the_child_it_was_waiting_for()
    {
        var log = new EventLog();
        var children = new TestChildren(log);
        var gate = Gate();
        GatedChild? slow = null;
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions(),
            [children.Spec("a"), GatedChild.Spec("slow", log, gate.Task, ShutdownPolicy.After(TimeSpan.FromMinutes(5)), c => slow = c)]));
        var a = children["a"];

        sup.Stop();
        await log.WaitForAsync("terminating:slow");
        sup.Kill();

        sup.Completion.IsCompleted.Should().BeTrue();
        (await sup.Completion).Should().Be(ExitReason.Killed);
        (await a.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Killed);
        (await ExitOf(slow!)).Should().Be(ExitReason.Killed, "no child may outlive its killed supervisor");
    }

    // Deliberate difference (forced stop = Kill): a dynamic supervisor killed during its concurrent shutdown kills every child it was waiting for (checklist 44).
    [Test]
    public async Task killing_a_dynamic_supervisor_during_its_shutdown_kills_the_children_it_was_waiting_for()
    {
        var log = new EventLog();
        var gate = Gate();
        var started = new List<GatedChild>();
        var sup = _cleanup.Track(await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions()));
        for (var i = 0; i < 3; i++)
        {
            await sup.StartChildAsync(GatedChild.Spec($"g{i}", log, gate.Task, ShutdownPolicy.After(TimeSpan.FromMinutes(5)), started.Add));
        }

        sup.Stop();
        await log.WaitForAsync(events => events.Count(e => e.StartsWith("terminating:", StringComparison.Ordinal)) == 3);
        sup.Kill();

        (await sup.Completion).Should().Be(ExitReason.Killed);
        foreach (var child in started)
        {
            (await ExitOf(child)).Should().Be(ExitReason.Killed, "{0} must not outlive its killed supervisor", child.ChildId);
        }
    }

    private static async Task<ExitReason> ExitOf(IProcess process)
    {
        try
        {
            return await process.Completion.WaitAsync(Wait);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"{process.Name} {process.Id} was still running {Wait.TotalSeconds} s after its supervisor was killed");
        }
    }

    private TaskCompletionSource Gate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gates.Add(gate);
        return gate;
    }
}
