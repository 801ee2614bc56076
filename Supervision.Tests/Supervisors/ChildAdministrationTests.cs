namespace Supervision.Tests.Supervisors;

/// <summary>OTP's child administration and introspection cases: <c>child_adm</c>, <c>which_children</c>, <c>count_children</c>, <c>do_not_save_child_specs_for_temporary_children</c>.</summary>
public class ChildAdministrationTests : SupervisorTestBase
{
    // The full start/terminate/restart/delete round trip with every error return (OTP child_adm).
    [Test]
    public async Task Child_adm()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"));

        // start_child of a new id starts it and returns the process.
        var b = await sup.StartChildAsync(Children.Spec("b"));
        b.Should().BeSameAs(Children["b"]);
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(2, 2, 0, 2));

        // Same id while running: {error, {already_started, Pid}}.
        var alreadyStarted = await FluentActions.Awaiting(() => sup.StartChildAsync(Children.Spec("b"))).Should().ThrowAsync<SupervisorException>();
        alreadyStarted.Which.Error.Should().Be(SupervisorError.AlreadyStarted);
        alreadyStarted.Which.Process.Should().BeSameAs(b);
        alreadyStarted.Which.ChildId.Should().Be("b");

        // restart_child and delete_child of a running child: {error, running}.
        (await FluentActions.Awaiting(() => sup.RestartChildAsync("b")).Should().ThrowAsync<SupervisorException>())
            .Which.Error.Should().Be(SupervisorError.Running);
        (await FluentActions.Awaiting(() => sup.DeleteChildAsync("b")).Should().ThrowAsync<SupervisorException>())
            .Which.Error.Should().Be(SupervisorError.Running);

        // terminate_child stops it with shutdown and keeps the spec.
        await sup.TerminateChildAsync("b");
        (await b!.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        Log.Events.Should().EndWith("stop:b:shutdown");
        (await ChildrenByIdAsync(sup))["b"].State.Should().Be(ChildState.Terminated);
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(2, 1, 0, 2));

        // Same id while stored but not running: {error, already_present}.
        (await FluentActions.Awaiting(() => sup.StartChildAsync(Children.Spec("b"))).Should().ThrowAsync<SupervisorException>())
            .Which.Error.Should().Be(SupervisorError.AlreadyPresent);

        // restart_child starts a new incarnation.
        var b2 = await sup.RestartChildAsync("b");
        b2.Should().NotBeNull().And.NotBeSameAs(b).And.BeSameAs(Children["b"]);
        b2!.Id.Should().NotBe(b.Id);

        // delete_child after terminate_child forgets it.
        await sup.TerminateChildAsync("b");
        await sup.DeleteChildAsync("b");
        (await sup.WhichChildrenAsync()).Select(c => c.Id).Should().Equal("a");
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(1, 1, 0, 1));

        // Unknown ids: {error, not_found}.
        (await FluentActions.Awaiting(() => sup.TerminateChildAsync("b")).Should().ThrowAsync<SupervisorException>())
            .Which.Error.Should().Be(SupervisorError.NotFound);
        (await FluentActions.Awaiting(() => sup.RestartChildAsync("b")).Should().ThrowAsync<SupervisorException>())
            .Which.Error.Should().Be(SupervisorError.NotFound);
        (await FluentActions.Awaiting(() => sup.DeleteChildAsync("b")).Should().ThrowAsync<SupervisorException>())
            .Which.Error.Should().Be(SupervisorError.NotFound);
        (await FluentActions.Awaiting(() => sup.GetChildSpecAsync("b")).Should().ThrowAsync<SupervisorException>())
            .Which.Error.Should().Be(SupervisorError.NotFound);

        // A deleted id can be added again.
        (await sup.StartChildAsync(Children.Spec("b"))).Should().BeSameAs(Children["b"]);
    }

    // terminate_child is idempotent: ok again on a child that is not running (OTP child_adm).
    [Test]
    public async Task Terminate_child_is_idempotent()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"));

        await sup.TerminateChildAsync("a");
        await sup.TerminateChildAsync("a");
        await sup.TerminateChildAsync("a");

        Log.Events.Should().Equal("start:a", "stop:a:shutdown");
        (await ChildrenByIdAsync(sup))["a"].State.Should().Be(ChildState.Terminated);
    }

    // A child stopped by terminate_child is not restarted, whatever its restart type; the spec is kept (OTP child_adm, do_not_save_child_specs_for_temporary_children).
    [TestCase(RestartType.Permanent)]
    [TestCase(RestartType.Transient)]
    public async Task Terminated_child_is_not_restarted_and_its_spec_is_kept(RestartType restart)
    {
        var spec = Children.Spec("a", restart);
        var sup = await StartSupervisorAsync(Options(), spec);
        var a = Children["a"];

        await sup.TerminateChildAsync("a");
        await a.Completion.WaitAsync(Wait);

        var info = (await ChildrenByIdAsync(sup))["a"];
        info.State.Should().Be(ChildState.Terminated);
        info.Process.Should().BeNull();
        info.RestartCount.Should().Be(0);
        (await sup.GetChildSpecAsync("a")).Should().BeSameAs(spec);
        Log.Count("start:a").Should().Be(1);
    }

    // terminate_child on a temporary child drops its spec (OTP do_not_save_child_specs_for_temporary_children).
    [Test]
    public async Task Terminate_child_drops_a_temporary_spec()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"), Children.Spec("t", RestartType.Temporary));

        await sup.TerminateChildAsync("t");

        (await sup.WhichChildrenAsync()).Select(c => c.Id).Should().Equal("a");
        (await FluentActions.Awaiting(() => sup.GetChildSpecAsync("t")).Should().ThrowAsync<SupervisorException>())
            .Which.Error.Should().Be(SupervisorError.NotFound);
        (await FluentActions.Awaiting(() => sup.RestartChildAsync("t")).Should().ThrowAsync<SupervisorException>())
            .Which.Error.Should().Be(SupervisorError.NotFound);

        // Not already_present: the same temporary child can be added again.
        (await sup.StartChildAsync(Children.Spec("t", RestartType.Temporary))).Should().BeSameAs(Children["t"]);
    }

    // After its process is gone a permanent or transient child's spec stays (start_child says already_present), a temporary
    // child's is dropped (start_child starts it afresh), whether it was killed, exited or was terminated
    // (OTP do_not_save_child_specs_for_temporary_children).
    [TestCase(RestartType.Permanent, true)]
    [TestCase(RestartType.Transient, true)]
    [TestCase(RestartType.Temporary, false)]
    public async Task Do_not_save_child_specs_for_temporary_children(RestartType restart, bool kept)
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a", restart));

        // terminate_child, then a normal exit of a fresh incarnation.
        await sup.TerminateChildAsync("a");
        await AssertKeptAsync();
        if (!kept)
        {
            await sup.StartChildAsync(Children.Spec("a", restart));
            await Children.ExitAsync("a", ExitReason.Normal);
            await AssertKeptAsync();
        }

        async Task AssertKeptAsync()
        {
            var start = FluentActions.Awaiting(() => sup.StartChildAsync(Children.Spec("a", restart)));
            if (kept)
            {
                (await start.Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.AlreadyPresent);
            }
            else
            {
                (await sup.WhichChildrenAsync()).Should().BeEmpty();
                await start.Should().NotThrowAsync();
                (await ChildrenByIdAsync(sup))["a"].State.Should().Be(ChildState.Running);
                await sup.TerminateChildAsync("a");
            }
        }
    }

    // restart_child of a child whose start says ignore returns {ok, undefined} and keeps it stored (OTP child_adm / sup_start_ignore_child).
    [Test]
    public async Task Restart_child_that_ignores_returns_null_and_stays_terminated()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"));
        await sup.TerminateChildAsync("a");
        Children.IgnoreNextStarts("a", 1);

        (await sup.RestartChildAsync("a")).Should().BeNull();

        (await ChildrenByIdAsync(sup))["a"].State.Should().Be(ChildState.Terminated);
    }

    // restart_child is an operator's request, not a restart: it does not count against intensity (supervisor.erl: only do_restart calls add_restart).
    [Test]
    public async Task Restart_child_does_not_count_against_intensity()
    {
        var sup = await StartSupervisorAsync(new SupervisorOptions { MaxRestarts = 0, Period = TimeSpan.FromHours(1) }, Children.Spec("a"));

        for (var i = 0; i < 3; i++)
        {
            await sup.TerminateChildAsync("a");
            (await sup.RestartChildAsync("a")).Should().BeSameAs(Children["a"]);
        }

        sup.HasExited.Should().BeFalse();
        Log.Count("start:a").Should().Be(4);
    }

    // get_childspec returns the stored spec; not_found for an unknown id (OTP sup_start_map, child_adm).
    [Test]
    public async Task Get_childspec_returns_the_stored_spec()
    {
        var a = Children.Spec("a", RestartType.Transient, ShutdownPolicy.BrutalKill);
        var sup = await StartSupervisorAsync(Options(), a, Children.Spec("b"));

        (await sup.GetChildSpecAsync("a")).Should().BeSameAs(a);
        var added = Children.Spec("c", RestartType.Temporary);
        await sup.StartChildAsync(added);
        (await sup.GetChildSpecAsync("c")).Should().BeSameAs(added);
    }

    // which_children reports id, type, state, process and restart type per child, in START order (OTP which_children; OTP lists newest first, this library oldest first).
    [Test]
    public async Task Which_children_shape_and_order()
    {
        var sup = await StartSupervisorAsync(
            Options(),
            Children.Spec("a"),
            ChildSpec.ForSupervisor("sub", new SupervisorOptions { Name = "sub" }, []),
            Children.Spec("b", RestartType.Transient));
        await sup.StartChildAsync(Children.Spec("c", RestartType.Temporary));
        await sup.TerminateChildAsync("b");

        var which = await sup.WhichChildrenAsync();

        which.Select(c => c.Id).Should().Equal("a", "sub", "b", "c");
        which[0].Should().Be(new ChildInfo("a", ChildType.Worker, ChildState.Running, Children["a"], RestartType.Permanent, 0));
        which[1].Type.Should().Be(ChildType.Supervisor);
        which[1].State.Should().Be(ChildState.Running);
        which[1].Process.Should().BeOfType<Supervisor>().Which.Name.Should().Be("sub");
        which[2].Should().Be(new ChildInfo("b", ChildType.Worker, ChildState.Terminated, null, RestartType.Transient, 0));
        which[3].Should().Be(new ChildInfo("c", ChildType.Worker, ChildState.Running, Children["c"], RestartType.Temporary, 0));
    }

    // A restarted child keeps its place in which_children and gets a new process; deleting and re-adding moves it to the end (OTP which_children).
    [Test]
    public async Task Which_children_order_after_restart_delete_and_add()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));
        var oldA = await Children.CrashAsync("a");

        var afterRestart = await sup.WhichChildrenAsync();
        afterRestart.Select(c => c.Id).Should().Equal("a", "b", "c");
        afterRestart[0].Process.Should().NotBeSameAs(oldA).And.BeSameAs(Children["a"]);
        afterRestart[0].RestartCount.Should().Be(1);

        await sup.TerminateChildAsync("a");
        await sup.DeleteChildAsync("a");
        await sup.StartChildAsync(Children.Spec("a"));

        (await sup.WhichChildrenAsync()).Select(c => c.Id).Should().Equal("b", "c", "a");
    }

    // count_children counts specs, active (live) children, supervisors and workers, stopped ones included in specs (OTP count_children, count_children_supervisor).
    [Test]
    public async Task Count_children()
    {
        var sup = await StartSupervisorAsync(
            Options(),
            Children.Spec("a"),
            ChildSpec.ForSupervisor("sub1", new SupervisorOptions { Name = "sub1" }, []),
            ChildSpec.ForDynamicSupervisor("sub2", new DynamicSupervisorOptions()),
            Children.Spec("b"));

        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(4, 4, 2, 2));

        await sup.TerminateChildAsync("b");
        await sup.TerminateChildAsync("sub1");

        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(4, 2, 2, 2));

        // Repeated calls are stable.
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(4, 2, 2, 2));
    }

    // Every management call on a supervisor that has exited fails with noproc (OTP child_adm: calls to a dead supervisor exit with noproc).
    [Test]
    public async Task Operations_on_an_exited_supervisor_throw_process_exited()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"));
        sup.Stop();
        await sup.Completion.WaitAsync(Wait);

        await FluentActions.Awaiting(() => sup.StartChildAsync(Children.Spec("b"))).Should().ThrowAsync<ProcessExitedException>();
        await FluentActions.Awaiting(() => sup.TerminateChildAsync("a")).Should().ThrowAsync<ProcessExitedException>();
        await FluentActions.Awaiting(() => sup.RestartChildAsync("a")).Should().ThrowAsync<ProcessExitedException>();
        await FluentActions.Awaiting(() => sup.DeleteChildAsync("a")).Should().ThrowAsync<ProcessExitedException>();
        await FluentActions.Awaiting(() => sup.GetChildSpecAsync("a")).Should().ThrowAsync<ProcessExitedException>();
        await FluentActions.Awaiting(() => sup.WhichChildrenAsync()).Should().ThrowAsync<ProcessExitedException>();
        var count = await FluentActions.Awaiting(() => sup.CountChildrenAsync()).Should().ThrowAsync<ProcessExitedException>();
        count.Which.Reason.Should().Be(ExitReason.Shutdown);
        count.Which.Process.Should().Be(sup.Id);
        Log.Count("start:b").Should().Be(0);
    }
}
