using Supervision.Tests.Support;

namespace Supervision.Tests.Supervisors;

public class SmokeTests
{
    [Test]
    public async Task One_for_one_restarts_only_the_crashed_child()
    {
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a"), children.Spec("b")]);
        var oldB = children["b"];
        var old = await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 2);
        children["a"].Should().NotBeSameAs(old);
        children["b"].Should().BeSameAs(oldB);
        sup.Stop();
        (await sup.Completion).Should().Be(ExitReason.Shutdown);
        children.Log.Events.Should().EndWith(["stop:b:shutdown", "stop:a:shutdown"]);
    }
}
