using Supervision.Tests.Support;

namespace Supervision.Tests.Trees;

/// <summary>
/// A killed supervisor's exit is visible only after its children are dead, so a parent restarting it
/// never meets the old children or their names (stronger than OTP, whose exit signals are unordered).
/// And a supervisor that gives up exits shutdown, as in OTP.
/// </summary>
public class KilledSubtreeTests
{
    private static readonly TimeSpan Wait = EventLog.DefaultWait;

    [Test]
    public async Task Kill_returns_only_after_every_child_has_exited_even_while_the_supervisor_is_busy()
    {
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a"), children.Spec("b")]);
        var busy = await BusySupervisor.OccupyAsync(sup);

        sup.Kill();

        children["a"].HasExited.Should().BeTrue("a died before its supervisor's exit became visible");
        children["b"].HasExited.Should().BeTrue();
        (await children["a"].Completion).Should().Be(ExitReason.Killed);
        busy.Release();
        (await sup.Completion).Should().Be(ExitReason.Killed);
    }

    // Issue 10 point 4: a one_for_all parent restarts a killed child supervisor whose children register names; the restart succeeds the first time.
    [Test]
    public async Task a_one_for_all_parent_restarts_a_killed_supervisor_whose_children_hold_names_at_the_first_attempt()
    {
        using var logs = new LogCapture();
        var names = new ProcessRegistry();
        var children = new TestChildren(new EventLog());
        var named = children.Spec("named") with { RegisterAs = new ProcessName(names, "named") };
        var parent = await Supervisor.StartAsync(
            new SupervisorOptions { Name = "parent", Strategy = SupervisionStrategy.OneForAll, LoggerFactory = logs.Factory },
            [children.Spec("w"), ChildSpec.ForSupervisor("mid", new SupervisorOptions { Name = "mid", LoggerFactory = logs.Factory }, [named])]);
        await using var guard = parent.Guard();
        var mid = (Supervisor)(await parent.WhichChildrenAsync()).Single(c => c.Id == "mid").Process!;
        var oldNamed = children["named"];
        names.WhereIs("named").Should().BeSameAs(oldNamed);

        // mid is busy in a start that ignores cancellation, so its own loop cannot kill its children for a while.
        var busy = await BusySupervisor.OccupyAsync(mid);
        mid.Kill();
        await children.Log.WaitForAsync("start:named", 2);
        await parent.WhichChildrenAsync();
        busy.Release();

        var newNamed = children["named"];
        newNamed.Should().NotBeSameAs(oldNamed);
        names.WhereIs("named").Should().BeSameAs(newNamed);
        var midInfo = (await parent.WhichChildrenAsync()).Single(c => c.Id == "mid");
        midInfo.State.Should().Be(ChildState.Running);
        midInfo.RestartCount.Should().Be(1, "one restart, which succeeded");
        logs.WithId(LogEvents.StartError).Should().BeEmpty("no start failed on a name still held by the old child");
    }

    // OTP do_restart: a supervisor that gave up exits shutdown, which a transient parent does not restart.
    [Test]
    public async Task a_transient_parent_does_not_restart_a_child_supervisor_that_gave_up()
    {
        var children = new TestChildren(new EventLog());
        var midSpec = ChildSpec.ForSupervisor("mid", new SupervisorOptions { Name = "mid", MaxRestarts = 0 }, [children.Spec("leaf")]) with
        {
            Restart = RestartType.Transient,
        };
        var root = await Supervisor.StartAsync(new SupervisorOptions { Name = "root" }, [midSpec, children.Spec("w")]);
        await using var guard = root.Guard();
        var mid = (Supervisor)(await root.WhichChildrenAsync()).Single(c => c.Id == "mid").Process!;

        await children.CrashAsync("leaf");
        var reason = await mid.Completion.WaitAsync(Wait);
        await root.WhichChildrenAsync();

        reason.Kind.Should().Be(ExitKind.Shutdown);
        reason.IsRestartIntensityExceeded.Should().BeTrue();
        reason.IsAbnormal.Should().BeFalse();
        var info = (await root.WhichChildrenAsync()).Single(c => c.Id == "mid");
        info.State.Should().Be(ChildState.Terminated);
        info.RestartCount.Should().Be(0);
        children.Log.Count("start:leaf").Should().Be(1);
        root.HasExited.Should().BeFalse();
    }
}
