using Supervision.Tests.Support;

namespace Supervision.Tests.Dynamic;

public class DynamicSupervisorRestartTests
{
    // dynamic_supervisor_test.exs "temporary child is not restarted regardless of reason"
    [TestCase("normal")]
    [TestCase("shutdown")]
    [TestCase("shutdown_with")]
    [TestCase("crash")]
    [TestCase("killed")]
    public async Task temporary_child_is_never_restarted_and_leaves_no_record(string reason)
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var child = (TestChild)(await sup.StartChildAsync(children.Spec("a", RestartType.Temporary)))!;

        await ExitAsync(child, reason);

        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
        children.Log.Count("start:a").Should().Be(1);
        var terminate = () => sup.TerminateChildAsync(child);
        (await terminate.Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.NotFound);
    }

    // dynamic_supervisor_test.exs "transient child is restarted unless normal/shutdown/{shutdown, _}"
    [TestCase("normal", false)]
    [TestCase("shutdown", false)]
    [TestCase("shutdown_with", false)]
    [TestCase("crash", true)]
    [TestCase("killed", true)]
    public async Task transient_child_is_restarted_only_after_an_abnormal_exit(string reason, bool restarted)
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var child = (TestChild)(await sup.StartChildAsync(children.Spec("a", RestartType.Transient)))!;

        await ExitAsync(child, reason);

        var counts = await sup.CountChildrenAsync();
        if (restarted)
        {
            counts.Should().Be(new ChildCounts(1, 1, 0, 1));
            children.Log.Count("start:a").Should().Be(2);
            var info = (await sup.WhichChildrenAsync()).Should().ContainSingle().Subject;
            info.Process.Should().NotBeNull().And.NotBeSameAs(child);
            info.RestartCount.Should().Be(1);
        }
        else
        {
            counts.Should().Be(new ChildCounts(0, 0, 0, 0), "a transient child that finished is forgotten");
            children.Log.Count("start:a").Should().Be(1);
        }
    }

    // dynamic_supervisor_test.exs "permanent child is restarted regardless of reason"
    [TestCase("normal")]
    [TestCase("shutdown")]
    [TestCase("shutdown_with")]
    [TestCase("crash")]
    [TestCase("killed")]
    public async Task permanent_child_is_restarted_regardless_of_reason_as_a_new_process(string reason)
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var old = (TestChild)(await sup.StartChildAsync(children.Spec("a")))!;

        await ExitAsync(old, reason);

        var info = (await sup.WhichChildrenAsync()).Should().ContainSingle().Subject;
        info.State.Should().Be(ChildState.Running);
        info.RestartCount.Should().Be(1);
        var current = info.Process.Should().BeOfType<TestChild>().Subject;
        current.Should().NotBeSameAs(old);
        current.Id.Should().NotBe(old.Id);
        current.HasExited.Should().BeFalse();
        children.Log.Count("start:a").Should().Be(2);

        var terminateOld = () => sup.TerminateChildAsync(old);
        (await terminateOld.Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.NotFound);
        await sup.TerminateChildAsync(current);
        (await current.Completion).Should().Be(ExitReason.Shutdown);
        (await sup.CountChildrenAsync()).Specs.Should().Be(0);
    }

    // dynamic_supervisor_test.exs "child is restarted with different values" (restart returns :ignore -> removed)
    [Test]
    public async Task a_restart_that_says_ignore_removes_the_child()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var old = (await sup.StartChildAsync(children.Spec("a")))!;
        children.IgnoreNextStarts("a", 1);

        await children.CrashAsync("a");

        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
        children.Log.Events.Should().Contain("ignored:a");
        var terminate = () => sup.TerminateChildAsync(old);
        (await terminate.Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.NotFound);
    }

    // dynamic_supervisor_test.exs "child is restarted when trying again"
    [Test]
    public async Task a_failed_restart_is_tried_again_and_succeeds()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        await sup.StartChildAsync(children.Spec("a"));
        children.FailNextStarts("a", 1);

        var old = await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 2);

        children.Log.Events.Should().ContainInOrder("start:a", "start_failed:a", "start:a");
        var info = (await sup.WhichChildrenAsync()).Should().ContainSingle().Subject;
        info.State.Should().Be(ChildState.Running);
        info.Process.Should().NotBeNull().And.NotBeSameAs(old);
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(1, 1, 0, 1));
    }

    // dynamic_supervisor_test.exs "child triggers maximum restarts"
    [Test]
    public async Task too_many_restarts_make_the_supervisor_give_up_and_stop_its_other_children()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { MaxRestarts = 1, Period = TimeSpan.FromMinutes(5) });
        await using var guard = sup.Guard();
        await sup.StartChildAsync(children.Spec("a"));
        var bystander = (await sup.StartChildAsync(children.Spec("b")))!;

        await children.CrashAsync("a");
        await sup.CountChildrenAsync();
        await children.CrashAsync("a");

        var reason = await sup.Completion.WaitAsync(EventLog.DefaultWait);
        reason.IsRestartIntensityExceeded.Should().BeTrue();
        var cause = reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Subject;
        cause.ChildId.Should().Be("a");
        cause.LastReason.Kind.Should().Be(ExitKind.Failure);
        (await bystander.Completion).Should().Be(ExitReason.Shutdown);
        children.Log.Count("start:a").Should().Be(2);
    }

    // dynamic_supervisor_test.exs "child triggers maximum intensity when trying again"
    [Test]
    public async Task failed_restart_attempts_count_against_intensity()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { MaxRestarts = 2, Period = TimeSpan.FromMinutes(5) });
        await using var guard = sup.Guard();
        await sup.StartChildAsync(children.Spec("a"));
        children.FailNextStarts("a", 100);

        await children.CrashAsync("a");

        var reason = await sup.Completion.WaitAsync(EventLog.DefaultWait);
        reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Which.ChildId.Should().Be("a");
        children.Log.Count("start_failed:a").Should().Be(2, "two attempts are allowed, the third is one too many");
    }

    [Test]
    public async Task restarts_of_different_children_share_one_intensity()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { MaxRestarts = 1, Period = TimeSpan.FromMinutes(5) });
        await using var guard = sup.Guard();
        await sup.StartChildAsync(children.Spec("a"));
        await sup.StartChildAsync(children.Spec("b"));

        await children.CrashAsync("a");
        await sup.CountChildrenAsync();
        await children.CrashAsync("b");

        (await sup.Completion.WaitAsync(EventLog.DefaultWait)).Exception.Should().BeOfType<RestartIntensityExceededException>()
            .Which.ChildId.Should().Be("b");
    }

    internal static async Task ExitAsync(TestChild child, string reason)
    {
        switch (reason)
        {
            case "normal":
                child.Tell(new TestChild.ExitWith(ExitReason.Normal));
                break;
            case "shutdown":
                child.Tell(new TestChild.ExitWith(ExitReason.Shutdown));
                break;
            case "shutdown_with":
                child.Tell(new TestChild.ExitWith(ExitReason.ShutdownWith("detail")));
                break;
            case "crash":
                child.Tell(new TestChild.Crash());
                break;
            case "killed":
                child.Kill();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown exit");
        }

        // The supervisor's monitor has queued the exit by the time Completion is set, so the next
        // request to the supervisor is handled after the exit.
        await child.Completion.WaitAsync(EventLog.DefaultWait);
    }
}
