using Microsoft.Extensions.Logging;
using Supervision.Tests.Support;

namespace Supervision.Tests.Dynamic;

public class DynamicSupervisorLoggingTests
{
    // supervisor.erl: simple_one_for_one starts are not progress-reported; Elixir's DynamicSupervisor likewise
    [Test]
    public async Task dynamic_child_starts_are_reported_at_debug_not_information()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { LoggerFactory = logs.Factory });
        await using var guard = sup.Guard();

        await sup.StartChildAsync(children.Spec("a"));
        await sup.StartChildAsync(children.Spec("b"));

        logs.Records.Should().HaveCount(2).And.OnlyContain(r => r.Level == LogLevel.Debug && r.Id.Id == LogEvents.DynamicChildStarted);
        logs.Records.Select(r => r.Message).Should().Contain(m => m.Contains("started dynamic child a"));
        logs.WithId(LogEvents.ChildStarted).Should().BeEmpty();
    }

    // supervisor_SUITE external_start_no_progress_log: the first info-level event after start_child + crash is the error report
    [Test]
    public async Task after_start_and_crash_the_first_information_event_is_child_terminated()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { LoggerFactory = logs.Factory });
        await using var guard = sup.Guard();
        await sup.StartChildAsync(children.Spec("a"));

        await children.CrashAsync("a");
        await sup.CountChildrenAsync();

        var visible = logs.Records.Where(r => r.Level >= LogLevel.Information).ToList();
        visible.Should().NotBeEmpty();
        visible[0].Id.Id.Should().Be(LogEvents.ChildTerminated);
        visible[0].Level.Should().Be(LogLevel.Error);
        visible[0].Exception.Should().BeOfType<InvalidOperationException>();
        visible.Select(r => r.Id.Id).Should().Equal(LogEvents.ChildTerminated, LogEvents.ChildRestarting);
        logs.WithId(LogEvents.DynamicChildStarted).Should().HaveCount(2, "the restart is a dynamic start too");
    }

    [Test]
    public async Task a_temporary_child_finishing_normally_is_not_logged_above_debug()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { LoggerFactory = logs.Factory });
        await using var guard = sup.Guard();
        var child = (TestChild)(await sup.StartChildAsync(children.Spec("a", RestartType.Temporary)))!;

        await DynamicSupervisorRestartTests.ExitAsync(child, "normal");
        await sup.CountChildrenAsync();

        logs.Records.Should().OnlyContain(r => r.Level == LogLevel.Debug);
        logs.WithId(LogEvents.ChildExited).Should().ContainSingle();
    }
}
