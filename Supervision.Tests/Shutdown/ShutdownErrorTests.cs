using Microsoft.Extensions.Logging;
using Supervision.Tests.Dynamic;
using Supervision.Tests.Intensity;
using Supervision.Tests.Support;

namespace Supervision.Tests.Shutdown;

/// <summary>
/// supervisor.erl <c>shutdown/1</c>: which exit reasons of a child its supervisor shut down are
/// reported as <c>shutdown_error</c> (log event 7 and the <c>supervision.shutdown_errors</c> metric).
/// </summary>
public class ShutdownErrorTests
{
    // shutdown/1 with an integer timeout: after exit(Pid, kill) only shutdown (and normal/{shutdown,_} from non-permanent children) is ok, so killed is {shutdown_error, killed}.
    [TestCase(RestartType.Permanent)]
    [TestCase(RestartType.Transient)]
    [TestCase(RestartType.Temporary)]
    public async Task a_child_killed_after_its_shutdown_timeout_is_a_shutdown_error(RestartType restart)
    {
        using var logs = new LogCapture();
        var name = TestNames.Unique("shutdown-error");
        using var shutdownErrors = new MetricInstrument("supervision.shutdown_errors", name);
        var clock = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(
            new SupervisorOptions { Name = name, LoggerFactory = logs.Factory, TimeProvider = clock },
            [children.Spec("a", restart, ShutdownPolicy.After(TimeSpan.FromSeconds(1)))]);
        await using var guard = sup.Guard();
        var release = new TaskCompletionSource();
        await DynamicSupervisorTerminateTests.HangAsync(children["a"], release.Task);

        var terminating = sup.TerminateChildAsync("a");
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await terminating.WaitAsync(EventLog.DefaultWait);
        release.TrySetResult();

        (await children["a"].Completion).Should().Be(ExitReason.Killed);
        var error = logs.WithId(LogEvents.ShutdownError).Should().ContainSingle().Subject;
        error.Level.Should().Be(LogLevel.Error);
        error.Message.Should().Contain("shutdown_error a").And.Contain("killed");
        shutdownErrors.Values.Should().Equal(1);
    }

    // shutdown/1 with brutal_kill: killed is ok, and so is a child's own exit that beat the kill, unless it is permanent.
    [TestCase(RestartType.Permanent, "shutdown", true)]
    [TestCase(RestartType.Permanent, "normal", true)]
    [TestCase(RestartType.Transient, "shutdown", false)]
    [TestCase(RestartType.Temporary, "normal", false)]
    public async Task a_brutal_kill_child_that_exited_by_itself_first_is_a_shutdown_error_only_if_permanent(RestartType restart, string exit, bool reported)
    {
        using var logs = new LogCapture();
        var name = TestNames.Unique("shutdown-error");
        using var shutdownErrors = new MetricInstrument("supervision.shutdown_errors", name);
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(
            new SupervisorOptions { Name = name, LoggerFactory = logs.Factory },
            [children.Spec("a", restart, ShutdownPolicy.BrutalKill)]);
        await using var guard = sup.Guard();

        // Keep the supervisor's loop busy so that it has not seen a's exit when it shuts a down.
        var busy = await BusySupervisor.OccupyAsync(sup);
        var a = children["a"];
        a.Stop(exit == "normal" ? ExitReason.Normal : ExitReason.Shutdown);
        await a.Completion.WaitAsync(EventLog.DefaultWait);
        sup.Stop();
        busy.Release();
        await busy.Start.WaitAsync(EventLog.DefaultWait);

        await sup.Completion.WaitAsync(EventLog.DefaultWait);
        logs.WithId(LogEvents.ShutdownError).Should().HaveCount(reported ? 1 : 0);
        shutdownErrors.Sum.Should().Be(reported ? 1 : 0);
    }

    [Test]
    public async Task a_brutal_kill_child_that_is_killed_is_no_shutdown_error()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { LoggerFactory = logs.Factory }, [children.Spec("a", RestartType.Permanent, ShutdownPolicy.BrutalKill)]);

        sup.Stop();
        await sup.Completion.WaitAsync(EventLog.DefaultWait);

        (await children["a"].Completion).Should().Be(ExitReason.Killed);
        logs.WithId(LogEvents.ShutdownError).Should().BeEmpty();
    }

    // Elixir's DynamicSupervisor (and simple_one_for_one): its own stop shuts the children down together and reports each shutdown error.
    [Test]
    public async Task a_dynamic_supervisor_reports_one_shutdown_error_per_child()
    {
        using var logs = new LogCapture();
        var name = TestNames.Unique("dynamic-shutdown-error");
        using var shutdownErrors = new MetricInstrument("supervision.shutdown_errors", name);
        var clock = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name, LoggerFactory = logs.Factory, TimeProvider = clock });
        await using var guard = sup.Guard();
        var release = new TaskCompletionSource();
        var timeout = ShutdownPolicy.After(TimeSpan.FromSeconds(1));
        var hung1 = (TestChild)(await sup.StartChildAsync(children.Spec("hung1", RestartType.Permanent, timeout)))!;
        var hung2 = (TestChild)(await sup.StartChildAsync(children.Spec("hung2", RestartType.Temporary, timeout)))!;
        var polite = (TestChild)(await sup.StartChildAsync(children.Spec("polite", RestartType.Permanent, ShutdownPolicy.Infinity)))!;
        await DynamicSupervisorTerminateTests.HangAsync(hung1, release.Task);
        await DynamicSupervisorTerminateTests.HangAsync(hung2, release.Task);

        // Only the two hung children's shutdown timers (the polite one waits without a timer): both exist before the clock moves.
        sup.Stop();
        await clock.WaitForTimersAsync(2);
        clock.Advance(TimeSpan.FromSeconds(1));
        (await sup.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Shutdown);
        release.TrySetResult();

        (await polite.Completion).Should().Be(ExitReason.Shutdown);
        var errors = logs.WithId(LogEvents.ShutdownError);
        errors.Should().HaveCount(2).And.OnlyContain(e => e.Level == LogLevel.Error && e.Message.Contains("killed"));
        errors.Select(e => e.StructuredState!.Single(pair => pair.Key == "ChildId").Value).Should().BeEquivalentTo("hung1", "hung2");
        errors.Select(e => e.StructuredState!.Single(pair => pair.Key == "Process").Value).Should().BeEquivalentTo(hung1.Id.ToString(), hung2.Id.ToString());
        shutdownErrors.Values.Should().Equal(1, 1);
    }

    // Reports carry OTP's offender as log state: child id, process, restart type, shutdown, child type, significant.
    [Test]
    public async Task a_shutdown_error_report_carries_the_offender_as_structured_state()
    {
        using var logs = new LogCapture();
        var clock = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(
            new SupervisorOptions { LoggerFactory = logs.Factory, TimeProvider = clock },
            [children.Spec("a", RestartType.Transient, ShutdownPolicy.After(TimeSpan.FromSeconds(2)))]);
        await using var guard = sup.Guard();
        var release = new TaskCompletionSource();
        await DynamicSupervisorTerminateTests.HangAsync(children["a"], release.Task);
        var process = children["a"].Id;

        var terminating = sup.TerminateChildAsync("a");
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromSeconds(2));
        await terminating.WaitAsync(EventLog.DefaultWait);
        release.TrySetResult();

        var state = logs.WithId(LogEvents.ShutdownError).Single().StructuredState!.ToDictionary(pair => pair.Key, pair => pair.Value);
        state["ChildId"].Should().Be("a");
        state["Process"].Should().Be(process.ToString());
        state["Restart"].Should().Be("Transient");
        state["Shutdown"].Should().Be("2000 ms");
        state["ChildType"].Should().Be("Worker");
        state["Significant"].Should().Be("False");
        state["Reason"].Should().Be("killed");
    }
}
