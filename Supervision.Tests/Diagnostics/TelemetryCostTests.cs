using Supervision.Tests.Support;

namespace Supervision.Tests.Diagnostics;

/// <summary>Telemetry costs nothing on the supervision hot path while nobody listens to the activity source.</summary>
[NonParallelizable] // Activity listeners are process-global: no other test may be listening meanwhile.
public class TelemetryCostTests
{
    [Test]
    public void without_a_listener_no_activity_is_created_and_nothing_is_allocated()
    {
        Assume.That(SupervisionActivities.Source.HasListeners(), Is.False, "another listener is registered in this process");
        var telemetry = new SupervisorTelemetry(TestNames.Unique("cost"));
        var child = new ChildRecord(new TestChildren(new EventLog()).Spec("a"));
        var reason = ExitReason.Failure(new InvalidOperationException("boom"));
        RunHotPath(telemetry, child, reason); // First use: the child's metric tag is remembered, the code is jitted.

        var before = GC.GetAllocatedBytesForCurrentThread();
        var activities = RunHotPath(telemetry, child, reason);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        activities.Should().Be(0);
        allocated.Should().Be(0);
    }

    /// <summary>What a supervisor records for one crash and its restart; returns how many activities were created.</summary>
    private static int RunHotPath(SupervisorTelemetry telemetry, ChildRecord child, ExitReason reason)
    {
        var created = 0;
        using (var exit = telemetry.StartChildExit(child, reason))
        {
            created += exit is null ? 0 : 1;
            telemetry.Crash(child);
            telemetry.Restart(child);
            using var restart = telemetry.StartRestart(child, retry: false);
            created += restart is null ? 0 : 1;
            using var start = telemetry.StartChildStart(child);
            created += start is null ? 0 : 1;
            SupervisorTelemetry.ChildStarted(start, null);
            SupervisorTelemetry.Restarted(restart, null);
        }

        telemetry.ChildUp();
        telemetry.ChildDown();
        return created;
    }
}
