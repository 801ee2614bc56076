using Supervision.Tests.Support;

namespace Supervision.Tests.Diagnostics;

/// <summary>
/// OTP's supervisor reports carry the offender (<c>id</c>, <c>pid</c>, <c>restart_type</c>,
/// <c>shutdown</c>, <c>child_type</c>, <c>significant</c>) and the reason as data, not only in the
/// text: here as named values of the log state, for child_terminated (event 3), start_error (event 6)
/// and reached_max_restart_intensity (event 8). shutdown_error (event 7): <see cref="Shutdown.ShutdownErrorTests"/>.
/// </summary>
public class ReportOffenderStateTests
{
    [Test]
    public async Task a_child_terminated_report_carries_the_offender_and_the_reason()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(
            new SupervisorOptions { LoggerFactory = logs.Factory },
            [children.Spec("a", RestartType.Transient, ShutdownPolicy.After(TimeSpan.FromSeconds(2)))]);
        await using var guard = sup.Guard();

        var crashed = await children.CrashAsync("a");
        var reason = await crashed.Completion;
        await logs.ExpectAsync(r => r.Id.Id == LogEvents.ChildTerminated);

        var state = StateOf(logs, LogEvents.ChildTerminated);
        state["ChildId"].Should().Be("a");
        state["Process"].Should().Be(crashed.Id.ToString());
        state["Restart"].Should().Be("Transient");
        state["Shutdown"].Should().Be("2000 ms");
        state["ChildType"].Should().Be("Worker");
        state["Significant"].Should().Be("False");
        state["Reason"].Should().Be(reason.ToString()).And.Contain("InvalidOperationException").And.Contain("boom");
    }

    [Test]
    public async Task a_start_error_report_carries_the_offender_and_the_exception()
    {
        using var logs = new LogCapture();
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { LoggerFactory = logs.Factory });
        await using var guard = sup.Guard();
        var refusal = new InvalidOperationException("sub refuses to start");

        var start = () => sup.StartChildAsync(new ChildSpec
        {
            Id = "sub",
            Type = ChildType.Supervisor,
            Restart = RestartType.Temporary,
            Shutdown = ShutdownPolicy.BrutalKill,
            Start = _ => throw refusal,
        });
        await start.Should().ThrowAsync<ChildStartException>();

        var state = StateOf(logs, LogEvents.StartError);
        state["ChildId"].Should().Be("sub");
        state["Restart"].Should().Be("Temporary");
        state["Shutdown"].Should().Be("brutal_kill");
        state["ChildType"].Should().Be("Supervisor");
        state["Significant"].Should().Be("False");

        // OTP's start_error reason is the start's error: here the exception of the record.
        logs.WithId(LogEvents.StartError).Single().Exception.Should().BeSameAs(refusal);
    }

    [Test]
    public async Task a_gave_up_report_carries_the_limit_the_offender_and_the_reason()
    {
        using var logs = new LogCapture();
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(
            new SupervisorOptions { LoggerFactory = logs.Factory, MaxRestarts = 0, Period = TimeSpan.FromSeconds(7), AutoShutdown = AutoShutdown.AnySignificant },
            [children.Spec("a", RestartType.Transient, ShutdownPolicy.Infinity, significant: true)]);
        await using var guard = sup.Guard();

        var crashed = await children.CrashAsync("a");
        var reason = await crashed.Completion;
        await sup.Completion.WaitAsync(EventLog.DefaultWait);

        var state = StateOf(logs, LogEvents.GaveUp);
        state["MaxRestarts"].Should().Be("0");
        state["Period"].Should().Be(TimeSpan.FromSeconds(7).ToString());
        state["ChildId"].Should().Be("a");
        state["Process"].Should().Be(crashed.Id.ToString());
        state["Restart"].Should().Be("Transient");
        state["Shutdown"].Should().Be("infinity");
        state["ChildType"].Should().Be("Worker");
        state["Significant"].Should().Be("True");
        state["Reason"].Should().Be(reason.ToString()).And.Contain("boom");
    }

    /// <summary>The named values of the single record with <paramref name="eventId"/>.</summary>
    private static Dictionary<string, string?> StateOf(LogCapture logs, int eventId) =>
        logs.WithId(eventId).Should().ContainSingle().Subject.StructuredState!.ToDictionary(pair => pair.Key, pair => pair.Value);
}
