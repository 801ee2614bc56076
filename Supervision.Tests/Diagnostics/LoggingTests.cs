using Microsoft.Extensions.Logging;
using Supervision.Tests.Dynamic;
using Supervision.Tests.Support;

namespace Supervision.Tests.Diagnostics;

public class LoggingTests
{
    // supervisor.erl progress report {supervisor, progress} on each start of a static child
    [Test]
    public async Task a_static_child_start_is_logged_at_information_with_event_id_1()
    {
        using var logs = new LogCapture();
        var name = TestNames.Unique("log");
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name, LoggerFactory = logs.Factory }, [children.Spec("a")]);
        await using var guard = sup.Guard();

        var record = logs.Records.Should().ContainSingle().Subject;
        record.Id.Id.Should().Be(LogEvents.ChildStarted);
        record.Level.Should().Be(LogLevel.Information);
        record.Message.Should().Contain(name).And.Contain("started child a");
        record.Category.Should().Be("Supervision.Supervisor");
    }

    // supervisor.erl child_terminated report, then the restart
    [Test]
    public async Task a_crash_is_logged_as_child_terminated_error_with_the_exception_then_the_restart()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { LoggerFactory = logs.Factory }, [children.Spec("a")]);
        await using var guard = sup.Guard();

        await children.CrashAsync("a");
        await sup.CountChildrenAsync();

        logs.EventIds.Should().Equal(LogEvents.ChildStarted, LogEvents.ChildTerminated, LogEvents.ChildRestarting, LogEvents.ChildStarted);
        var terminated = logs.WithId(LogEvents.ChildTerminated).Should().ContainSingle().Subject;
        terminated.Level.Should().Be(LogLevel.Error);
        terminated.Exception.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("boom");
        terminated.Message.Should().Contain("child_terminated a").And.Contain("Permanent");
        var restarting = logs.WithId(LogEvents.ChildRestarting).Should().ContainSingle().Subject;
        restarting.Level.Should().Be(LogLevel.Information);
        restarting.Message.Should().Contain("restarting child a (restart 1)");
    }

    // supervisor.erl start_error report for a failed restart (then try_again)
    [Test]
    public async Task a_failed_restart_is_logged_as_start_error_with_the_exception()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { LoggerFactory = logs.Factory }, [children.Spec("a")]);
        await using var guard = sup.Guard();
        children.FailNextStarts("a", 1);

        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 2);
        await sup.CountChildrenAsync();

        logs.EventIds.Should().Equal(LogEvents.ChildStarted, LogEvents.ChildTerminated, LogEvents.ChildRestarting, LogEvents.StartError, LogEvents.ChildRestarting, LogEvents.ChildStarted);
        var startError = logs.WithId(LogEvents.StartError).Should().ContainSingle().Subject;
        startError.Level.Should().Be(LogLevel.Error);
        startError.Exception.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("a refuses to start");
        startError.Message.Should().Contain("start_error a");
    }

    [Test]
    public async Task a_failed_dynamic_start_child_is_logged_as_start_error()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        children.FailNextStarts("a", 1);
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { LoggerFactory = logs.Factory });
        await using var guard = sup.Guard();

        var start = () => sup.StartChildAsync(children.Spec("a"));
        await start.Should().ThrowAsync<ChildStartException>();

        var record = logs.Records.Should().ContainSingle().Subject;
        record.Id.Id.Should().Be(LogEvents.StartError);
        record.Level.Should().Be(LogLevel.Error);
        record.Exception.Should().BeOfType<InvalidOperationException>();
    }

    // supervisor.erl shutdown report, reason reached_max_restart_intensity
    [Test]
    public async Task giving_up_is_logged_as_critical()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { LoggerFactory = logs.Factory, MaxRestarts = 0 }, [children.Spec("a")]);
        await using var guard = sup.Guard();

        await children.CrashAsync("a");
        await sup.Completion.WaitAsync(EventLog.DefaultWait);

        logs.EventIds.Should().Equal(LogEvents.ChildStarted, LogEvents.ChildTerminated, LogEvents.GaveUp);
        var gaveUp = logs.WithId(LogEvents.GaveUp).Should().ContainSingle().Subject;
        gaveUp.Level.Should().Be(LogLevel.Critical);
        gaveUp.Message.Should().Contain("reached_max_restart_intensity").And.Contain("child a");
    }

    // supervisor.erl shutdown_error: normal is not an accepted shutdown reason for a permanent child
    [Test]
    public async Task a_permanent_child_exiting_normally_during_shutdown_is_a_shutdown_error()
    {
        using var logs = new LogCapture();
        var (sup, child, release) = await StartWithHangingChildAsync(logs, RestartType.Permanent, ShutdownPolicy.Infinity);
        await using var guard = sup.Guard();

        child.Stop(ExitReason.Normal);
        sup.Stop();
        release.TrySetResult();

        (await sup.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Shutdown);
        (await child.Completion).Should().Be(ExitReason.Normal);
        var error = logs.WithId(LogEvents.ShutdownError).Should().ContainSingle().Subject;
        error.Level.Should().Be(LogLevel.Error);
        error.Message.Should().Contain("shutdown_error a").And.Contain("normal");
    }

    [Test]
    public async Task a_child_killed_under_an_infinity_shutdown_is_a_shutdown_error()
    {
        using var logs = new LogCapture();
        var (sup, child, release) = await StartWithHangingChildAsync(logs, RestartType.Permanent, ShutdownPolicy.Infinity);
        await using var guard = sup.Guard();

        sup.Stop();
        child.Kill();
        release.TrySetResult();

        await sup.Completion.WaitAsync(EventLog.DefaultWait);
        logs.WithId(LogEvents.ShutdownError).Should().ContainSingle().Which.Message.Should().Contain("killed");
    }

    // supervisor.erl shutdown/1: normal and {shutdown, _} are accepted from non-permanent children, shutdown from all (a kill after the timeout is not: ShutdownErrorTests)
    [TestCase(RestartType.Transient, "normal")]
    [TestCase(RestartType.Temporary, "normal")]
    [TestCase(RestartType.Transient, "shutdown_with")]
    [TestCase(RestartType.Permanent, "shutdown")]
    public async Task expected_exit_reasons_during_shutdown_are_not_shutdown_errors(RestartType restart, string exit)
    {
        using var logs = new LogCapture();
        var (sup, child, release) = await StartWithHangingChildAsync(logs, restart, ShutdownPolicy.Infinity);
        await using var guard = sup.Guard();
        switch (exit)
        {
            case "normal":
                child.Stop(ExitReason.Normal);
                break;
            case "shutdown_with":
                child.Stop(ExitReason.ShutdownWith("bye"));
                break;
        }

        sup.Stop();
        release.TrySetResult();

        await sup.Completion.WaitAsync(EventLog.DefaultWait);
        logs.WithId(LogEvents.ShutdownError).Should().BeEmpty();
        logs.Records.Should().NotContain(r => r.Level >= LogLevel.Warning);
    }

    [Test]
    public async Task a_permanent_child_exiting_with_a_shutdown_detail_during_shutdown_is_a_shutdown_error()
    {
        using var logs = new LogCapture();
        var (sup, child, release) = await StartWithHangingChildAsync(logs, RestartType.Permanent, ShutdownPolicy.Infinity);
        await using var guard = sup.Guard();

        child.Stop(ExitReason.ShutdownWith("bye"));
        sup.Stop();
        release.TrySetResult();

        await sup.Completion.WaitAsync(EventLog.DefaultWait);
        logs.WithId(LogEvents.ShutdownError).Should().ContainSingle();
    }

    // supervisor.erl do_restart: normal/shutdown exits of transient and temporary children are not reported
    [TestCase(RestartType.Transient, "normal")]
    [TestCase(RestartType.Transient, "shutdown")]
    [TestCase(RestartType.Transient, "shutdown_with")]
    [TestCase(RestartType.Temporary, "normal")]
    [TestCase(RestartType.Temporary, "shutdown")]
    public async Task a_normal_exit_of_a_transient_or_temporary_child_is_not_logged_as_an_error(RestartType restart, string exit)
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { LoggerFactory = logs.Factory }, [children.Spec("a", restart)]);
        await using var guard = sup.Guard();

        await DynamicSupervisorRestartTests.ExitAsync(children["a"], exit);
        await sup.CountChildrenAsync();

        logs.Records.Should().NotContain(r => r.Level >= LogLevel.Warning);
        var exited = logs.WithId(LogEvents.ChildExited).Should().ContainSingle().Subject;
        exited.Level.Should().Be(LogLevel.Debug);
    }

    // supervisor.erl do_restart: an abnormal exit of a temporary child is reported, though not restarted
    [Test]
    public async Task a_crash_of_a_temporary_child_is_logged_as_child_terminated()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { LoggerFactory = logs.Factory }, [children.Spec("a", RestartType.Temporary)]);
        await using var guard = sup.Guard();

        await children.CrashAsync("a");
        await sup.CountChildrenAsync();

        logs.EventIds.Should().Equal(LogEvents.ChildStarted, LogEvents.ChildTerminated);
        logs.WithId(LogEvents.ChildTerminated).Single().Level.Should().Be(LogLevel.Error);
    }

    // supervisor.erl do_restart: a permanent child is reported whatever its reason, normal included
    [Test]
    public async Task a_normal_exit_of_a_permanent_child_is_logged_as_child_terminated()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { LoggerFactory = logs.Factory }, [children.Spec("a")]);
        await using var guard = sup.Guard();

        await children.ExitAsync("a", ExitReason.Normal);
        await sup.CountChildrenAsync();

        logs.EventIds.Should().Equal(LogEvents.ChildStarted, LogEvents.ChildTerminated, LogEvents.ChildRestarting, LogEvents.ChildStarted);
        logs.WithId(LogEvents.ChildTerminated).Single().Exception.Should().BeNull();
    }

    [Test]
    public async Task without_a_logger_factory_nothing_fails()
    {
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a")]);
        await using var guard = sup.Guard();

        await children.CrashAsync("a");

        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(1, 1, 0, 1));
    }

    /// <summary>A supervisor with one child "a" whose loop is parked in a handler that ignores its stop until released.</summary>
    private static async Task<(Supervisor Supervisor, TestChild Child, TaskCompletionSource Release)> StartWithHangingChildAsync(
        LogCapture logs, RestartType restart, ShutdownPolicy shutdown)
    {
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(
            new SupervisorOptions { Name = TestNames.Unique("log"), LoggerFactory = logs.Factory },
            [children.Spec("a", restart, shutdown)]);
        var release = new TaskCompletionSource();
        await DynamicSupervisorTerminateTests.HangAsync(children["a"], release.Task);
        return (sup, children["a"], release);
    }
}
