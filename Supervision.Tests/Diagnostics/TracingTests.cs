using System.Diagnostics;
using Supervision.Tests.Support;
using Supervision.Tests.Workers;
using EventLog = Supervision.Tests.Support.EventLog;

namespace Supervision.Tests.Diagnostics;

/// <summary>The "Supervision" activity source: child starts, exits, restarts and giving up, and where each sits in a trace.</summary>
public class TracingTests
{
    private const string ChildIdTag = "supervision.child.id";
    private const string OutcomeTag = "supervision.child.outcome";
    private const string ExitKindTag = "supervision.exit.kind";

    [Test]
    public void the_source_is_named_supervision()
    {
        SupervisionActivities.SourceName.Should().Be("Supervision");
        SupervisionActivities.ChildStart.Should().Be("supervision.child.start");
        SupervisionActivities.ChildExit.Should().Be("supervision.child.exit");
        SupervisionActivities.ChildRestart.Should().Be("supervision.child.restart");
        SupervisionActivities.GaveUp.Should().Be("supervision.gave_up");
    }

    [Test]
    public async Task child_starts_are_traced_with_supervisor_child_and_outcome_under_the_starters_activity()
    {
        var name = TestNames.Unique("traces");
        using var recorder = new ActivityRecorder(name);
        var children = new TestChildren(new EventLog());
        using var outer = new Activity("test.outer").Start();

        var sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name }, [children.Spec("a"), children.Spec("b")]);
        await using var guard = sup.Guard();
        outer.Stop();

        var starts = recorder.Named(SupervisionActivities.ChildStart);
        starts.Select(a => a.GetTagItem(ChildIdTag)).Should().Equal("a", "b");
        starts.Should().AllSatisfy(a =>
        {
            a.GetTagItem(ActivityRecorder.SupervisorTag).Should().Be(name);
            a.GetTagItem(OutcomeTag).Should().Be("started");
            a.Status.Should().Be(ActivityStatusCode.Unset);
            a.ParentId.Should().Be(outer.Id, "the initial children start within the caller's trace");
        });
    }

    [Test]
    public async Task a_failed_start_is_traced_as_failed_with_the_exception()
    {
        var name = TestNames.Unique("traces");
        using var recorder = new ActivityRecorder(name);
        var children = new TestChildren(new EventLog());
        children.FailNextStarts("b", 1);

        await FluentActions.Awaiting(() => Supervisor.StartAsync(new SupervisorOptions { Name = name }, [children.Spec("a"), children.Spec("b")]))
            .Should().ThrowAsync<ChildStartException>();

        var failed = recorder.Named(SupervisionActivities.ChildStart).Should().ContainSingle(a => Equals(a.GetTagItem(ChildIdTag), "b")).Subject;
        failed.GetTagItem(OutcomeTag).Should().Be("failed");
        failed.Status.Should().Be(ActivityStatusCode.Error);
        failed.Events.Should().Contain(e => e.Name == "exception");
    }

    [Test]
    public async Task an_ignored_start_is_traced_as_ignored()
    {
        var name = TestNames.Unique("traces");
        using var recorder = new ActivityRecorder(name);
        var children = new TestChildren(new EventLog());
        children.IgnoreNextStarts("a", 1);
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name });
        await using var guard = sup.Guard();

        (await sup.StartChildAsync(children.Spec("a"))).Should().BeNull();

        recorder.Named(SupervisionActivities.ChildStart).Should().ContainSingle().Which.GetTagItem(OutcomeTag).Should().Be("ignored");
    }

    [Test]
    public async Task a_child_started_by_a_call_is_traced_under_the_callers_activity()
    {
        var name = TestNames.Unique("traces");
        using var recorder = new ActivityRecorder(name);
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name });
        await using var guard = sup.Guard();

        using (var caller = new Activity("test.caller").Start())
        {
            await sup.StartChildAsync(children.Spec("a"));
            recorder.Named(SupervisionActivities.ChildStart).Should().ContainSingle().Which.ParentId.Should().Be(caller.Id);
        }
    }

    [Test]
    public async Task a_crash_is_traced_as_an_exit_with_the_restart_and_the_new_start_beneath_it()
    {
        var name = TestNames.Unique("traces");
        using var recorder = new ActivityRecorder(name);
        var children = new TestChildren(new EventLog());
        Supervisor sup;
        using (new Activity("test.starter").Start())
        {
            sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name }, [children.Spec("a")]);
        }

        await using var guard = sup.Guard();

        await children.CrashAsync("a");
        var exit = await recorder.WaitForAsync(SupervisionActivities.ChildExit);

        exit.Parent.Should().BeNull("an exit is handled on the supervisor's loop, no part of its starter's trace");
        exit.GetTagItem(ChildIdTag).Should().Be("a");
        exit.GetTagItem(ExitKindTag).Should().Be("failure");
        exit.Status.Should().Be(ActivityStatusCode.Error);
        exit.Events.Should().Contain(e => e.Name == "exception");
        var restart = recorder.Named(SupervisionActivities.ChildRestart).Should().ContainSingle().Subject;
        restart.ParentSpanId.Should().Be(exit.SpanId);
        restart.GetTagItem(ChildIdTag).Should().Be("a");
        restart.GetTagItem("supervision.restart.retry").Should().Be(false);
        restart.Status.Should().Be(ActivityStatusCode.Unset);
        var restarted = recorder.Named(SupervisionActivities.ChildStart).Should().ContainSingle(a => a.ParentSpanId == restart.SpanId).Subject;
        restarted.GetTagItem(OutcomeTag).Should().Be("started");
    }

    [Test]
    public async Task a_normal_exit_of_a_temporary_child_is_traced_without_error_or_restart()
    {
        var name = TestNames.Unique("traces");
        using var recorder = new ActivityRecorder(name);
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name }, [children.Spec("t", RestartType.Temporary)]);
        await using var guard = sup.Guard();

        await children.ExitAsync("t", ExitReason.Normal);
        var exit = await recorder.WaitForAsync(SupervisionActivities.ChildExit);

        exit.GetTagItem(ExitKindTag).Should().Be("normal");
        exit.Status.Should().Be(ActivityStatusCode.Unset);
        recorder.Named(SupervisionActivities.ChildRestart).Should().BeEmpty();
    }

    [Test]
    public async Task a_failed_restart_is_traced_as_an_erroneous_restart_and_retried()
    {
        var name = TestNames.Unique("traces");
        using var recorder = new ActivityRecorder(name);
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name, MaxRestarts = 5 }, [children.Spec("a")]);
        await using var guard = sup.Guard();
        children.FailNextStarts("a", 1);

        await children.CrashAsync("a");
        var retry = await recorder.WaitForAsync(SupervisionActivities.ChildRestart, a => Equals(a.GetTagItem("supervision.restart.retry"), true));

        var first = recorder.Named(SupervisionActivities.ChildRestart).Should().ContainSingle(a => Equals(a.GetTagItem("supervision.restart.retry"), false)).Subject;
        first.Status.Should().Be(ActivityStatusCode.Error);
        retry.Status.Should().Be(ActivityStatusCode.Unset);
        retry.Parent.Should().BeNull("a retry is a message of its own on the loop");
    }

    [Test]
    public async Task giving_up_is_traced_beneath_the_exit_that_was_one_too_many()
    {
        var name = TestNames.Unique("traces");
        using var recorder = new ActivityRecorder(name);
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name, MaxRestarts = 0 }, [children.Spec("a")]);
        await using var guard = sup.Guard();

        await children.CrashAsync("a");
        await sup.Completion.WaitAsync(EventLog.DefaultWait);
        var exit = await recorder.WaitForAsync(SupervisionActivities.ChildExit);

        var gaveUp = recorder.Named(SupervisionActivities.GaveUp).Should().ContainSingle().Subject;
        gaveUp.ParentSpanId.Should().Be(exit.SpanId);
        gaveUp.GetTagItem(ChildIdTag).Should().Be("a");
        gaveUp.GetTagItem(ExitKindTag).Should().Be("failure");
        gaveUp.Status.Should().Be(ActivityStatusCode.Error);
        recorder.Named(SupervisionActivities.ChildRestart).Should().BeEmpty();
    }

    [Test]
    public async Task a_workers_handler_runs_outside_the_activity_current_at_its_start()
    {
        Activity? seen = null;
        var worker = new ScriptedWorker();
        using (new Activity("test.starter").Start())
        {
            await worker.StartAsync();
        }

        await using var guard = worker.Guard();
        using (new Activity("test.sender").Start())
        {
            worker.Tell(ScriptedWorker.Do(() => seen = Activity.Current));
        }

        await worker.PingAsync();
        seen.Should().BeNull("a message is no part of the trace that was current when its worker started");
    }
}
