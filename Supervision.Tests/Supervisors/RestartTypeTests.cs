using Supervision.Tests.Support;

namespace Supervision.Tests.Supervisors;

/// <summary>
/// OTP's <c>normal_termination</c>, <c>shutdown_termination</c> and <c>abnormal_termination</c> groups
/// (permanent/transient/temporary × normal/shutdown/abnormal), run under every strategy.
/// </summary>
public class RestartTypeTests : SupervisorTestBase
{
    /// <summary>How the child under test exits.</summary>
    public enum HowItExits
    {
        /// <summary>OTP <c>normal</c>.</summary>
        Normal,

        /// <summary>OTP <c>shutdown</c>.</summary>
        Shutdown,

        /// <summary>OTP <c>{shutdown, Term}</c>.</summary>
        ShutdownWithDetail,

        /// <summary>An exception: OTP's abnormal exit (<c>died</c>).</summary>
        Crash,

        /// <summary>OTP <c>exit(Pid, kill)</c>.</summary>
        Killed,
    }

    // permanent: always restarted; transient: restarted only after an abnormal exit (not normal, shutdown, {shutdown,_}), spec kept
    // otherwise; temporary: never restarted, spec dropped. The strategy only decides which siblings go with a restart
    // (OTP permanent_normal, transient_normal, temporary_normal, permanent_shutdown, transient_shutdown, temporary_shutdown,
    // permanent_abnormal, transient_abnormal, temporary_abnormal; supervisor.erl do_restart/3).
    [Test]
    [Combinatorial]
    public async Task Restart_type_x_exit_reason(
        [Values] SupervisionStrategy strategy,
        [Values] RestartType restart,
        [Values] HowItExits exit)
    {
        var sup = await StartSupervisorAsync(Options(strategy), Children.Spec("a"), Children.Spec("b", restart), Children.Spec("c"));
        var a = Children["a"];
        var c = Children["c"];

        var b = await ExitAsync("b", exit);
        var which = await ChildrenByIdAsync(sup);

        var abnormal = exit is HowItExits.Crash or HowItExits.Killed;
        var restarted = restart == RestartType.Permanent || (restart == RestartType.Transient && abnormal);
        var reason = await b.Completion;
        reason.Kind.Should().Be(ExpectedKind(exit));
        reason.Detail.Should().Be(exit == HowItExits.ShutdownWithDetail ? "detail" : null);
        if (restarted)
        {
            which.Keys.Should().BeEquivalentTo(["a", "b", "c"]);
            which["b"].State.Should().Be(ChildState.Running);
            which["b"].Process.Should().BeSameAs(Children["b"]).And.NotBeSameAs(b);
            which["b"].Process!.Id.Should().NotBe(b.Id);
            which["b"].RestartCount.Should().Be(1);
            Log.Count("start:b").Should().Be(2);

            // Siblings: one_for_one touches none, one_for_all all, rest_for_one only the later one.
            which["a"].Process.Should().BeSameAs(strategy == SupervisionStrategy.OneForAll ? Children["a"] : a);
            if (strategy == SupervisionStrategy.OneForAll)
            {
                which["a"].Process.Should().NotBeSameAs(a);
            }

            which["c"].Process.Should().BeSameAs(strategy == SupervisionStrategy.OneForOne ? c : Children["c"]);
            if (strategy != SupervisionStrategy.OneForOne)
            {
                which["c"].Process.Should().NotBeSameAs(c);
            }
        }
        else
        {
            if (restart == RestartType.Temporary)
            {
                which.Keys.Should().BeEquivalentTo(["a", "c"]);
                (await FluentActions.Awaiting(() => sup.GetChildSpecAsync("b")).Should().ThrowAsync<SupervisorException>())
                    .Which.Error.Should().Be(SupervisorError.NotFound);
            }
            else
            {
                which["b"].State.Should().Be(ChildState.Terminated);
                which["b"].Process.Should().BeNull();
                (await sup.GetChildSpecAsync("b")).Restart.Should().Be(restart);
            }

            // Nothing else happened: no restart, siblings untouched.
            Log.Count("start:b").Should().Be(1);
            which["a"].Process.Should().BeSameAs(a);
            which["c"].Process.Should().BeSameAs(c);
            Log.Events.Should().NotContain(e => e.StartsWith("stop:a", StringComparison.Ordinal) || e.StartsWith("stop:c", StringComparison.Ordinal));
        }

        sup.HasExited.Should().BeFalse();
    }

    // A transient child that exited normally or with shutdown keeps its spec and can be restarted with restart_child (OTP transient_normal, transient_shutdown).
    [TestCase(HowItExits.Normal)]
    [TestCase(HowItExits.Shutdown)]
    [TestCase(HowItExits.ShutdownWithDetail)]
    public async Task Transient_child_that_finished_can_be_restarted_by_restart_child(HowItExits exit)
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("t", RestartType.Transient));
        var first = await ExitAsync("t", exit);
        (await ChildrenByIdAsync(sup))["t"].State.Should().Be(ChildState.Terminated);

        var second = await sup.RestartChildAsync("t");

        second.Should().BeSameAs(Children["t"]).And.NotBeSameAs(first);
        (await ChildrenByIdAsync(sup))["t"].State.Should().Be(ChildState.Running);
    }

    // A temporary child that exited for any reason is gone, so the same spec can be added again (OTP temporary_shutdown, temporary_normal, temporary_abnormal).
    [TestCase(HowItExits.Normal)]
    [TestCase(HowItExits.ShutdownWithDetail)]
    [TestCase(HowItExits.Crash)]
    [TestCase(HowItExits.Killed)]
    public async Task Temporary_child_that_exited_can_be_added_again(HowItExits exit)
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("t", RestartType.Temporary));
        await ExitAsync("t", exit);
        (await sup.WhichChildrenAsync()).Should().BeEmpty();

        var again = await sup.StartChildAsync(Children.Spec("t", RestartType.Temporary));

        again.Should().BeSameAs(Children["t"]);
        (await sup.WhichChildrenAsync()).Should().ContainSingle().Which.State.Should().Be(ChildState.Running);
    }

    // A permanent child is restarted even after a normal exit, and again after each later exit (OTP permanent_normal).
    [Test]
    public async Task Permanent_child_is_restarted_after_every_exit()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("p"));

        foreach (var exit in new[] { HowItExits.Normal, HowItExits.Shutdown, HowItExits.Crash })
        {
            await ExitAsync("p", exit);

            // A round trip: the exit has been handled and the new incarnation is in place before the next exit.
            await sup.WhichChildrenAsync();
        }

        var info = (await ChildrenByIdAsync(sup))["p"];

        info.State.Should().Be(ChildState.Running);
        info.RestartCount.Should().Be(3);
        Log.Count("start:p").Should().Be(4);
    }

    private static ExitKind ExpectedKind(HowItExits exit) => exit switch
    {
        HowItExits.Normal => ExitKind.Normal,
        HowItExits.Shutdown or HowItExits.ShutdownWithDetail => ExitKind.Shutdown,
        HowItExits.Killed => ExitKind.Killed,
        _ => ExitKind.Failure,
    };

    /// <summary>Makes the current incarnation of <paramref name="id"/> exit as asked, and waits until it has.</summary>
    private async Task<TestChild> ExitAsync(string id, HowItExits exit) => exit switch
    {
        HowItExits.Normal => await Children.ExitAsync(id, ExitReason.Normal),
        HowItExits.Shutdown => await Children.ExitAsync(id, ExitReason.Shutdown),
        HowItExits.ShutdownWithDetail => await Children.ExitAsync(id, ExitReason.ShutdownWith("detail")),
        HowItExits.Killed => await Children.ExitAsync(id, ExitReason.Killed),
        _ => await Children.CrashAsync(id),
    };
}
