using Microsoft.Extensions.Time.Testing;
using Supervision.Tests.Dynamic;
using Supervision.Tests.Support;

namespace Supervision.Tests.Supervisors;

/// <summary>supervisor.erl: every API call is gen_server:call(Sup, Req, infinity).</summary>
public class SupervisorRequestTimeoutTests
{
    [Test]
    public async Task A_request_queued_behind_a_child_start_longer_than_the_call_default_still_completes()
    {
        var clock = new FakeTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sup = await Supervisor.StartAsync(new SupervisorOptions { TimeProvider = clock }, []);
        await using var guard = sup.Guard();
        var slowStart = sup.StartChildAsync(new ChildSpec
        {
            Id = "slow",
            Restart = RestartType.Temporary,
            Start = async _ =>
            {
                entered.TrySetResult();
                await gate.Task;
                return null;
            },
        });
        await entered.Task.WaitAsync(EventLog.DefaultWait);

        var count = sup.CountChildrenAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        count.IsCompleted.Should().BeFalse();
        gate.TrySetResult();

        (await count.WaitAsync(EventLog.DefaultWait)).Specs.Should().Be(0);
        (await slowStart.WaitAsync(EventLog.DefaultWait)).Should().BeNull();
    }
}
