using Supervision.Tests.Support;

namespace Supervision.Tests.Dynamic;

public class DynamicSupervisorStartChildTests
{
    // dynamic_supervisor_test.exs "start_child/2 with different returns" ({:ok, pid})
    [Test]
    public async Task start_child_returns_a_running_process()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();

        var process = await sup.StartChildAsync(children.Spec("a"));

        var child = process.Should().BeOfType<TestChild>().Subject;
        child.HasExited.Should().BeFalse();
        (await child.CallAsync<string>(reply => new TestChild.Echo("hello", reply))).Should().Be("hello");
        children.Log.Events.Should().Equal("start:a");
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(1, 1, 0, 1));
        var info = (await sup.WhichChildrenAsync()).Should().ContainSingle().Subject;
        info.Should().Be(new ChildInfo("a", ChildType.Worker, ChildState.Running, child, RestartType.Permanent, 0));
    }

    // dynamic_supervisor_test.exs "start_child/2 supports new child spec": the id is a label, not a key
    [Test]
    public async Task children_may_share_an_id()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();

        var first = await sup.StartChildAsync(children.Spec("same"));
        var second = await sup.StartChildAsync(children.Spec("same"));

        first.Should().NotBeNull();
        second.Should().NotBeNull().And.NotBeSameAs(first);
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(2, 2, 0, 2));
    }

    // dynamic_supervisor_test.exs "start_child/2 with different returns" (:ignore)
    [Test]
    public async Task a_start_that_says_ignore_returns_null_and_keeps_nothing()
    {
        var children = new TestChildren(new EventLog());
        children.IgnoreNextStarts("a", 1);
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();

        var process = await sup.StartChildAsync(children.Spec("a"));

        process.Should().BeNull();
        children.Log.Events.Should().Equal("ignored:a");
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
        (await sup.WhichChildrenAsync()).Should().BeEmpty();
    }

    // dynamic_supervisor_test.exs "start_child/2 with different returns" ({:error, _})
    [Test]
    public async Task a_start_that_throws_fails_with_the_cause_and_keeps_nothing()
    {
        var children = new TestChildren(new EventLog());
        children.FailNextStarts("a", 1);
        var name = TestNames.Unique("dyn");
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name });
        await using var guard = sup.Guard();

        var start = () => sup.StartChildAsync(children.Spec("a"));

        var error = (await start.Should().ThrowAsync<ChildStartException>()).Which;
        error.ChildId.Should().Be("a");
        error.Supervisor.Should().Be(name);
        error.InnerException.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("a refuses to start");
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
        sup.HasExited.Should().BeFalse();
        (await sup.StartChildAsync(children.Spec("a"))).Should().NotBeNull("the supervisor survives a failed start");
    }

    // dynamic_supervisor_test.exs "start_child/2 with throw/error/exit"
    [Test]
    public async Task a_start_function_that_throws_synchronously_is_caught_too()
    {
        var cause = new NotSupportedException("thrown before any task");
        var spec = new ChildSpec { Id = "sync", Start = _ => throw cause };
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();

        var start = () => sup.StartChildAsync(spec);

        (await start.Should().ThrowAsync<ChildStartException>()).Which.InnerException.Should().BeSameAs(cause);
        (await sup.CountChildrenAsync()).Specs.Should().Be(0);
    }

    [Test]
    public async Task a_worker_whose_init_throws_fails_the_start_and_leaves_nothing_running()
    {
        FailingInitWorker? worker = null;
        var spec = ChildSpec.ForWorker("init", () => worker = new FailingInitWorker());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();

        var start = () => sup.StartChildAsync(spec);

        (await start.Should().ThrowAsync<ChildStartException>()).Which.InnerException.Should().BeOfType<FormatException>();
        worker.Should().NotBeNull();
        worker!.HasExited.Should().BeTrue();
        (await worker.Completion).Kind.Should().Be(ExitKind.Failure);
        (await sup.CountChildrenAsync()).Specs.Should().Be(0);
    }

    // dynamic_supervisor_test.exs "start_child/2 with max_children" (0 -> {:error, :max_children})
    [Test]
    public async Task max_children_zero_refuses_the_first_child_without_starting_it()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { MaxChildren = 0 });
        await using var guard = sup.Guard();

        var start = () => sup.StartChildAsync(children.Spec("a"));

        var error = (await start.Should().ThrowAsync<SupervisorException>()).Which;
        error.Error.Should().Be(SupervisorError.MaxChildren);
        error.ChildId.Should().Be("a");
        error.Message.Should().Contain("max_children");
        children.Log.Events.Should().BeEmpty("the start function is never called");
    }

    // dynamic_supervisor_test.exs "start_child/2 with max_children"
    [Test]
    public async Task max_children_refuses_a_third_child_and_accepts_one_after_a_child_exits()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { MaxChildren = 2 });
        await using var guard = sup.Guard();
        var a = (TestChild)(await sup.StartChildAsync(children.Spec("a", RestartType.Temporary)))!;
        await sup.StartChildAsync(children.Spec("b", RestartType.Temporary));

        var third = () => sup.StartChildAsync(children.Spec("c", RestartType.Temporary));
        (await third.Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.MaxChildren);
        children.Log.Count("start:c").Should().Be(0);

        a.Tell(new TestChild.ExitWith(ExitReason.Normal));
        await a.Completion.WaitAsync(EventLog.DefaultWait);

        (await sup.StartChildAsync(children.Spec("c", RestartType.Temporary))).Should().NotBeNull();
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(2, 2, 0, 2));
    }

    [Test]
    public async Task max_children_is_freed_by_terminate_child()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { MaxChildren = 1 });
        await using var guard = sup.Guard();
        var a = await sup.StartChildAsync(children.Spec("a"));

        await sup.TerminateChildAsync(a!);

        (await sup.StartChildAsync(children.Spec("b"))).Should().NotBeNull();
    }

    // dynamic_supervisor_test.exs "restarting on exit children counted in max_children"
    [Test]
    public async Task a_restarting_child_still_occupies_a_slot()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions
        {
            MaxChildren = 1,
            Backoff = new RestartBackoff { InitialDelay = TimeSpan.FromMinutes(10), MaxDelay = TimeSpan.FromMinutes(10), UseJitter = false },
        });
        await using var guard = sup.Guard();
        await sup.StartChildAsync(children.Spec("a"));
        children.FailNextStarts("a", 1);

        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start_failed:a");

        var info = (await sup.WhichChildrenAsync()).Should().ContainSingle().Subject;
        info.State.Should().Be(ChildState.Restarting);
        info.Process.Should().BeNull();
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(1, 0, 0, 1));
        var start = () => sup.StartChildAsync(children.Spec("b"));
        (await start.Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.MaxChildren);
        children.Log.Count("start:b").Should().Be(0);
    }

    private sealed class FailingInitWorker : Worker<int>
    {
        protected override ValueTask InitAsync(CancellationToken cancellationToken) => throw new FormatException("bad init");

        protected override ValueTask HandleAsync(int message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
