using Microsoft.Extensions.Time.Testing;
using Supervision.Tests.Support;

namespace Supervision.Tests.Trees;

/// <summary>Nested supervisors: escalation of a child supervisor that gives up, and OTP's tree case.</summary>
public class EscalationTests
{
    private static readonly TimeSpan Wait = EventLog.DefaultWait;

    private readonly ProcessCleanup _cleanup = new();

    [TearDown]
    public Task TearDown() => _cleanup.StopAllAsync();

    // OTP: a child supervisor that exceeds its intensity exits and its parent restarts it, starting its subtree anew (tree; checklist 32).
    [Test]
    public async Task a_mid_supervisor_that_gives_up_is_restarted_by_the_root_with_a_fresh_subtree()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var root = await StartRootAsync(clock, rootMaxRestarts: 3, children);
        var mid = await ChildAsync<Supervisor>(root, "mid");
        var firstLeaf = children["leaf"];

        await children.CrashAsync("leaf");
        await children.Log.WaitForAsync("start:leaf", 2);
        (await ChildAsync<Supervisor>(root, "mid")).Should().BeSameAs(mid, "one restart is within the mid supervisor's intensity");

        await children.CrashAsync("leaf");

        var midReason = await mid.Completion.WaitAsync(Wait);
        midReason.IsRestartIntensityExceeded.Should().BeTrue("OTP: a supervisor that gives up exits shutdown");
        midReason.Exception.Should().BeOfType<RestartIntensityExceededException>().Which.ChildId.Should().Be("leaf");
        await children.Log.WaitForAsync("start:leaf", 3);

        var rootChildren = await root.WhichChildrenAsync();
        var midInfo = rootChildren.Should().ContainSingle().Subject;
        midInfo.State.Should().Be(ChildState.Running);
        midInfo.RestartCount.Should().Be(1);
        var newMid = midInfo.Process.Should().BeOfType<Supervisor>().Subject;
        newMid.Should().NotBeSameAs(mid);
        var leafInfo = (await newMid.WhichChildrenAsync()).Should().ContainSingle().Subject;
        leafInfo.Process.Should().BeSameAs(children["leaf"]).And.NotBeSameAs(firstLeaf);
        leafInfo.RestartCount.Should().Be(0, "the new mid supervisor started its leaf afresh");
        root.HasExited.Should().BeFalse();

        await StopAsync(root);
        (await newMid.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // OTP: escalation continues upwards; a root with intensity 0 gives up when its child supervisor gives up (tree; checklist 32).
    [Test]
    public async Task a_root_with_max_restarts_zero_gives_up_when_its_mid_supervisor_gives_up()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var root = await StartRootAsync(clock, rootMaxRestarts: 0, children);
        var mid = await ChildAsync<Supervisor>(root, "mid");

        await children.CrashAsync("leaf");
        await children.Log.WaitForAsync("start:leaf", 2);
        await children.CrashAsync("leaf");

        var rootReason = await root.Completion.WaitAsync(Wait);
        rootReason.IsRestartIntensityExceeded.Should().BeTrue();
        var exceeded = rootReason.Exception.Should().BeOfType<RestartIntensityExceededException>().Subject;
        exceeded.Supervisor.Should().Be("root");
        exceeded.ChildId.Should().Be("mid");
        exceeded.LastReason.Exception.Should().BeOfType<RestartIntensityExceededException>().Which.ChildId.Should().Be("leaf");
        (await mid.Completion.WaitAsync(Wait)).Exception.Should().BeOfType<RestartIntensityExceededException>();
        children.Log.Count("start:leaf").Should().Be(2, "the root did not restart mid");
    }

    // OTP: only the crashed worker is restarted when within intensity; its supervisors and cousins are untouched (tree).
    [Test]
    public async Task within_intensity_only_the_crashed_worker_is_restarted()
    {
        var children = new TestChildren(new EventLog());
        var root = await StartTreeAsync(children);
        var midA = await ChildAsync<Supervisor>(root, "midA");
        var midB = await ChildAsync<Supervisor>(root, "midB");
        var before = new[] { "a1", "a2", "b1", "b2" }.ToDictionary(id => id, id => children[id]);

        var crashed = await children.CrashAsync("a1");
        await children.Log.WaitForAsync("start:a1", 2);
        await midA.WhichChildrenAsync();

        children["a1"].Should().NotBeSameAs(crashed);
        foreach (var id in new[] { "a2", "b1", "b2" })
        {
            children[id].Should().BeSameAs(before[id]);
            children[id].HasExited.Should().BeFalse();
        }

        (await ChildAsync<Supervisor>(root, "midA")).Should().BeSameAs(midA);
        (await ChildAsync<Supervisor>(root, "midB")).Should().BeSameAs(midB);
        children.Log.Events.Where(e => e.StartsWith("stop:", StringComparison.Ordinal)).Should().Equal("stop:a1:failure");

        await StopAsync(root);
    }

    // OTP: escalation restarts only the failed subtree, and children added at run time to a restarted supervisor are lost (tree).
    [Test]
    public async Task children_added_at_run_time_are_lost_when_their_supervisor_is_restarted()
    {
        var children = new TestChildren(new EventLog());
        var root = await StartTreeAsync(children);
        var midA = await ChildAsync<Supervisor>(root, "midA");
        var midB = await ChildAsync<Supervisor>(root, "midB");
        var b1 = children["b1"];

        var extra = await midA.StartChildAsync(children.Spec("extra"));
        extra.Should().NotBeNull();
        (await midA.WhichChildrenAsync()).Select(c => c.Id).Should().Equal("a1", "a2", "extra");

        // midA allows one restart: the second crash makes it give up.
        await children.CrashAsync("a2");
        await children.Log.WaitForAsync("start:a2", 2);
        await children.CrashAsync("a2");

        (await midA.Completion.WaitAsync(Wait)).Exception.Should().BeOfType<RestartIntensityExceededException>();
        (await extra!.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        await children.Log.WaitForAsync("start:a2", 3);

        var newMidA = await ChildAsync<Supervisor>(root, "midA");
        newMidA.Should().NotBeSameAs(midA);
        (await newMidA.WhichChildrenAsync()).Select(c => c.Id).Should().Equal("a1", "a2");
        children.Log.Count("start:extra").Should().Be(1);
        (await ChildAsync<Supervisor>(root, "midB")).Should().BeSameAs(midB, "the sibling subtree is untouched");
        children["b1"].Should().BeSameAs(b1);
        b1.HasExited.Should().BeFalse();

        await StopAsync(root);
    }

    private static async Task<T> ChildAsync<T>(ISupervisor supervisor, string id)
        where T : class, IProcess
    {
        var info = (await supervisor.WhichChildrenAsync()).Single(c => c.Id == id);
        info.State.Should().Be(ChildState.Running);
        return info.Process.Should().BeOfType<T>().Subject;
    }

    private static async Task StopAsync(IProcess sup)
    {
        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    /// <summary>root(one_for_one) → mid(one_for_one, MaxRestarts 1) → leaf.</summary>
    private async Task<Supervisor> StartRootAsync(FakeTimeProvider clock, int rootMaxRestarts, TestChildren children)
    {
        var midOptions = new SupervisorOptions { Name = "mid", MaxRestarts = 1, Period = TimeSpan.FromSeconds(5), TimeProvider = clock };
        return _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { Name = "root", MaxRestarts = rootMaxRestarts, Period = TimeSpan.FromSeconds(5), TimeProvider = clock },
            [ChildSpec.ForSupervisor("mid", midOptions, [children.Spec("leaf")])]));
    }

    /// <summary>root → midA(a1, a2), midB(b1, b2); each mid allows one restart in an hour.</summary>
    private async Task<Supervisor> StartTreeAsync(TestChildren children)
    {
        SupervisorOptions Mid(string name) => new() { Name = name, MaxRestarts = 1, Period = TimeSpan.FromHours(1) };
        return _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { Name = "root", MaxRestarts = 3, Period = TimeSpan.FromHours(1) },
            [
                ChildSpec.ForSupervisor("midA", Mid("midA"), [children.Spec("a1"), children.Spec("a2")]),
                ChildSpec.ForSupervisor("midB", Mid("midB"), [children.Spec("b1"), children.Spec("b2")]),
            ]));
    }
}
