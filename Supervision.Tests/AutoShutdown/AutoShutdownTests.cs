using Microsoft.Extensions.Time.Testing;
using Supervision.Tests.Support;

namespace Supervision.Tests.AutoShutdownSuite;

/// <summary>OTP 24's auto_shutdown with significant children (group significant of supervisor_SUITE).</summary>
public class AutoShutdownTests
{
    private static readonly TimeSpan Wait = EventLog.DefaultWait;

    private readonly ProcessCleanup _cleanup = new();

    [TearDown]
    public Task TearDown() => _cleanup.StopAllAsync();

    // OTP: any_significant, a significant temporary child exiting with any reason shuts the supervisor down (significant_temporary).
    [TestCase("normal")]
    [TestCase("shutdown")]
    [TestCase("crash")]
    [TestCase("killed")]
    public async Task any_significant_a_significant_temporary_child_exiting_shuts_the_supervisor_down(string how)
    {
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(
            AutoShutdown.AnySignificant,
            children.Spec("w"),
            children.Spec("s", RestartType.Temporary, significant: true));

        await ExitAsync(children, "s", how);

        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        (await children["w"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        children.Log.Count("start:s").Should().Be(1);
    }

    // OTP: any_significant, a significant transient child that exits abnormally is restarted, not a reason to shut down (significant_transient).
    [TestCase("crash")]
    [TestCase("killed")]
    public async Task any_significant_a_significant_transient_child_exiting_abnormally_is_restarted(string how)
    {
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(
            AutoShutdown.AnySignificant,
            children.Spec("s", RestartType.Transient, significant: true));

        await ExitAsync(children, "s", how);
        await children.Log.WaitForAsync("start:s", 2);
        var which = await sup.WhichChildrenAsync();

        sup.HasExited.Should().BeFalse();
        which.Should().ContainSingle().Which.State.Should().Be(ChildState.Running);

        await StopAsync(sup);
    }

    // OTP: any_significant, a significant transient child exiting normally or with shutdown shuts the supervisor down (significant_transient).
    [TestCase("normal")]
    [TestCase("shutdown")]
    public async Task any_significant_a_significant_transient_child_exiting_normally_shuts_the_supervisor_down(string how)
    {
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(
            AutoShutdown.AnySignificant,
            children.Spec("w"),
            children.Spec("s", RestartType.Transient, significant: true));

        await ExitAsync(children, "s", how);

        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        children.Log.Count("start:s").Should().Be(1);
        children.Log.Events.Should().EndWith("stop:w:shutdown");
    }

    // OTP: all_significant, the supervisor shuts down only after the last significant child has exited (significant_temporary, significant_transient).
    [TestCase(RestartType.Temporary)]
    [TestCase(RestartType.Transient)]
    public async Task all_significant_shuts_down_only_after_the_last_significant_child_exits(RestartType restart)
    {
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(
            AutoShutdown.AllSignificant,
            children.Spec("w"),
            children.Spec("s1", restart, significant: true),
            children.Spec("s2", restart, significant: true));

        await children.ExitAsync("s1", ExitReason.Normal);
        await sup.WhichChildrenAsync();
        sup.HasExited.Should().BeFalse("s2 is still running");

        await children.ExitAsync("s2", ExitReason.Normal);

        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        (await children["w"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // OTP: all_significant, a significant transient child restarted after a crash still counts as running (significant_transient).
    [Test]
    public async Task all_significant_a_restarted_significant_child_keeps_the_supervisor_up()
    {
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(
            AutoShutdown.AllSignificant,
            children.Spec("s1", RestartType.Transient, significant: true),
            children.Spec("s2", RestartType.Transient, significant: true));

        await children.ExitAsync("s1", ExitReason.Normal);
        await children.CrashAsync("s2");
        await children.Log.WaitForAsync("start:s2", 2);
        await sup.WhichChildrenAsync();
        sup.HasExited.Should().BeFalse();

        await children.ExitAsync("s2", ExitReason.Normal);
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // OTP do_auto_shutdown(all_significant): only pid = undefined counts as absent, so a significant child in {restarting, Pid} keeps the supervisor up.
    [Test]
    public async Task all_significant_a_significant_child_waiting_for_a_restart_keeps_the_supervisor_up()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { AutoShutdown = AutoShutdown.AllSignificant, TimeProvider = clock, Backoff = new RestartBackoff { InitialDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(1), UseJitter = false } },
            [children.Spec("s1", RestartType.Transient, significant: true), children.Spec("s2", RestartType.Transient, significant: true)]));

        // s2's restart fails; the next attempt waits for the (fake) backoff, so s2 stays restarting.
        children.FailNextStarts("s2", 1);
        await children.CrashAsync("s2");
        await children.Log.WaitForAsync("start_failed:s2");
        (await sup.WhichChildrenAsync()).Single(c => c.Id == "s2").State.Should().Be(ChildState.Restarting);

        await children.ExitAsync("s1", ExitReason.Normal);
        await sup.WhichChildrenAsync();
        sup.HasExited.Should().BeFalse("s2 is restarting, which OTP counts as present");

        clock.Advance(TimeSpan.FromMinutes(1));
        await children.Log.WaitForAsync("start:s2", 2);
        await children.ExitAsync("s2", ExitReason.Normal);
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // OTP: a supervisor that gives up exits shutdown, so a significant transient supervisor that gives up triggers its parent's auto_shutdown.
    [Test]
    public async Task a_significant_transient_supervisor_that_gives_up_shuts_its_any_significant_parent_down()
    {
        var children = new TestChildren(new EventLog());
        var bSpec = ChildSpec.ForSupervisor("b", new SupervisorOptions { Name = "B", MaxRestarts = 0 }, [children.Spec("s")]) with
        {
            Restart = RestartType.Transient,
            Significant = true,
        };
        var a = await StartAsync(AutoShutdown.AnySignificant, children.Spec("w"), bSpec);

        await children.CrashAsync("s");

        (await a.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        (await children["w"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        children.Log.Count("start:s").Should().Be(1, "B gave up and was not restarted");
    }

    // OTP: terminate_child of a significant child never triggers auto-shutdown (significant_temporary, first case).
    [TestCase(AutoShutdown.AnySignificant, RestartType.Temporary)]
    [TestCase(AutoShutdown.AnySignificant, RestartType.Transient)]
    [TestCase(AutoShutdown.AllSignificant, RestartType.Temporary)]
    [TestCase(AutoShutdown.AllSignificant, RestartType.Transient)]
    public async Task terminate_child_of_a_significant_child_never_triggers_auto_shutdown(AutoShutdown mode, RestartType restart)
    {
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(mode, children.Spec("w"), children.Spec("s", restart, significant: true));
        var s = children["s"];

        await sup.TerminateChildAsync("s");
        (await s.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        await sup.WhichChildrenAsync();

        sup.HasExited.Should().BeFalse();
        children["w"].HasExited.Should().BeFalse();
        await StopAsync(sup);
    }

    // OTP: a significant child dying as a bystander of a one_for_all or rest_for_one restart never triggers auto-shutdown (significant_bystander).
    [TestCase(SupervisionStrategy.OneForAll, RestartType.Temporary)]
    [TestCase(SupervisionStrategy.OneForAll, RestartType.Transient)]
    [TestCase(SupervisionStrategy.RestForOne, RestartType.Temporary)]
    [TestCase(SupervisionStrategy.RestForOne, RestartType.Transient)]
    public async Task a_significant_bystander_of_a_group_restart_never_triggers_auto_shutdown(SupervisionStrategy strategy, RestartType restart)
    {
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { Strategy = strategy, AutoShutdown = AutoShutdown.AnySignificant },
            [children.Spec("a"), children.Spec("s", restart, significant: true)]));
        var s = children["s"];

        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 2);
        var which = await sup.WhichChildrenAsync();

        sup.HasExited.Should().BeFalse();
        (await s.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown, "s was stopped as a bystander");
        if (restart == RestartType.Temporary)
        {
            which.Select(c => c.Id).Should().Equal("a");
        }
        else
        {
            which.Select(c => (c.Id, c.State)).Should().Equal(("a", ChildState.Running), ("s", ChildState.Running));
            children.Log.Count("start:s").Should().Be(2);
        }

        await StopAsync(sup);
    }

    // OTP: exits of non-significant children never shut the supervisor down, under every mode (nonsignificant_temporary, nonsignificant_transient).
    [TestCase(AutoShutdown.AnySignificant, RestartType.Temporary, "normal")]
    [TestCase(AutoShutdown.AnySignificant, RestartType.Temporary, "crash")]
    [TestCase(AutoShutdown.AnySignificant, RestartType.Transient, "normal")]
    [TestCase(AutoShutdown.AllSignificant, RestartType.Temporary, "normal")]
    [TestCase(AutoShutdown.AllSignificant, RestartType.Transient, "shutdown")]
    [TestCase(AutoShutdown.Never, RestartType.Temporary, "normal")]
    [TestCase(AutoShutdown.Never, RestartType.Transient, "normal")]
    public async Task exits_of_non_significant_children_never_trigger_auto_shutdown(AutoShutdown mode, RestartType restart, string how)
    {
        var children = new TestChildren(new EventLog());
        var specs = new List<ChildSpec> { children.Spec("n", restart) };
        if (mode != AutoShutdown.Never)
        {
            specs.Add(children.Spec("s", RestartType.Transient, significant: true));
        }

        var sup = await StartAsync(mode, [.. specs]);

        await ExitAsync(children, "n", how);
        await sup.WhichChildrenAsync();

        sup.HasExited.Should().BeFalse();
        await StopAsync(sup);
    }

    // OTP: auto-shutdown cascades through a significant supervisor child: B shuts down normally, then A (significant_escalation).
    [Test]
    public async Task auto_shutdown_cascades_through_a_significant_supervisor_child()
    {
        var children = new TestChildren(new EventLog());
        var (a, b) = await StartNestedAsync(children, bIsSignificant: true);

        await children.ExitAsync("s", ExitReason.Normal);

        (await b.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        (await a.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        (await children["w"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        children.Log.Count("start:s").Should().Be(1);
    }

    // OTP: auto-shutdown does not cascade through a non-significant supervisor child; the parent stays up (significant_escalation).
    [Test]
    public async Task auto_shutdown_does_not_cascade_through_a_non_significant_supervisor_child()
    {
        var children = new TestChildren(new EventLog());
        var (a, b) = await StartNestedAsync(children, bIsSignificant: false);

        await children.ExitAsync("s", ExitReason.Normal);

        (await b.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        var which = await a.WhichChildrenAsync();
        a.HasExited.Should().BeFalse();
        which.Select(c => (c.Id, c.State)).Should().Equal(("w", ChildState.Running), ("b", ChildState.Terminated));
        children["w"].HasExited.Should().BeFalse();

        await StopAsync(a);
    }

    // OTP: a permanent child cannot be significant (child_specs_map, bad_combination).
    [Test]
    public async Task a_significant_permanent_child_is_a_bad_combination()
    {
        var children = new TestChildren(new EventLog());
        var spec = children.Spec("s", RestartType.Permanent, significant: true);

        spec.Invoking(s => s.Validate(AutoShutdown.AnySignificant))
            .Should().Throw<ArgumentException>().WithMessage("bad_combination*");
        await FluentActions.Awaiting(() => Supervisor.StartAsync(new SupervisorOptions { AutoShutdown = AutoShutdown.AnySignificant }, [spec]))
            .Should().ThrowAsync<ArgumentException>().WithMessage("bad_combination*");
        children.Log.Events.Should().BeEmpty();
    }

    // OTP: a significant child under auto_shutdown never is a bad combination, at start and at start_child (child_specs_map).
    [Test]
    public async Task a_significant_child_under_auto_shutdown_never_is_a_bad_combination()
    {
        var children = new TestChildren(new EventLog());
        var spec = children.Spec("s", RestartType.Transient, significant: true);

        await FluentActions.Awaiting(() => Supervisor.StartAsync(new SupervisorOptions(), [spec]))
            .Should().ThrowAsync<ArgumentException>().WithMessage("bad_combination*");

        var sup = await StartAsync(AutoShutdown.Never, children.Spec("w"));
        await FluentActions.Awaiting(() => sup.StartChildAsync(spec))
            .Should().ThrowAsync<ArgumentException>().WithMessage("bad_combination*");
        (await sup.WhichChildrenAsync()).Select(c => c.Id).Should().Equal("w");
        children.Log.Count("start:s").Should().Be(0);

        await StopAsync(sup);
    }

    // OTP: a dynamic supervisor accepts no significant children (significant_simple).
    [Test]
    public async Task a_dynamic_supervisor_rejects_significant_children()
    {
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions()));

        await FluentActions.Awaiting(() => sup.StartChildAsync(children.Spec("s", RestartType.Temporary, significant: true)))
            .Should().ThrowAsync<ArgumentException>().WithMessage("bad_combination*");
        (await sup.CountChildrenAsync()).Specs.Should().Be(0);

        await StopAsync(sup);
    }

    private static async Task ExitAsync(TestChildren children, string id, string how)
    {
        switch (how)
        {
            case "normal":
                await children.ExitAsync(id, ExitReason.Normal);
                break;
            case "shutdown":
                await children.ExitAsync(id, ExitReason.Shutdown);
                break;
            case "killed":
                await children.ExitAsync(id, ExitReason.Killed);
                break;
            default:
                await children.CrashAsync(id);
                break;
        }
    }

    private static async Task StopAsync(IProcess sup)
    {
        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    private async Task<Supervisor> StartAsync(AutoShutdown mode, params ChildSpec[] specs) =>
        _cleanup.Track(await Supervisor.StartAsync(new SupervisorOptions { AutoShutdown = mode }, specs));

    /// <summary>A(any_significant) with a worker w and a transient supervisor child B(any_significant) whose only child s is significant.</summary>
    private async Task<(Supervisor A, Supervisor B)> StartNestedAsync(TestChildren children, bool bIsSignificant)
    {
        var bSpec = ChildSpec.ForSupervisor(
            "b",
            new SupervisorOptions { Name = "B", AutoShutdown = AutoShutdown.AnySignificant },
            [children.Spec("s", RestartType.Transient, significant: true)]) with
        {
            Restart = RestartType.Transient,
            Significant = bIsSignificant,
        };
        var a = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { Name = "A", AutoShutdown = AutoShutdown.AnySignificant },
            [children.Spec("w"), bSpec]));
        var b = (Supervisor)(await a.WhichChildrenAsync()).Single(c => c.Id == "b").Process!;
        return (a, b);
    }
}
