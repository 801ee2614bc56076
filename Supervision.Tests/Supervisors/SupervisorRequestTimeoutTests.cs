using Microsoft.Extensions.Time.Testing;
using Supervision.Tests.Support;

namespace Supervision.Tests.Supervisors;

/// <summary>supervisor.erl: every API call is gen_server:call(Sup, Req, infinity).</summary>
public class SupervisorRequestTimeoutTests
{
    [Test]
    public async Task A_request_queued_behind_a_child_start_longer_than_the_call_default_still_completes()
    {
        var clock = new FakeTimeProvider();
        var sup = await Supervisor.StartAsync(new SupervisorOptions { TimeProvider = clock }, []);
        await using var guard = sup.Guard();
        var slowStart = await BusySupervisor.OccupyAsync(sup);

        var count = sup.CountChildrenAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        count.IsCompleted.Should().BeFalse();
        slowStart.Release();

        (await count.WaitAsync(EventLog.DefaultWait)).Specs.Should().Be(0);
        (await slowStart.Start.WaitAsync(EventLog.DefaultWait)).Should().BeNull();
    }
}
