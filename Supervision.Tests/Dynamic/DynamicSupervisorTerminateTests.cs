using Supervision.Tests.Intensity;
using Supervision.Tests.Support;

namespace Supervision.Tests.Dynamic;

public class DynamicSupervisorTerminateTests
{
    // dynamic_supervisor_test.exs "terminate_child/2 terminates child with brutal kill"
    [Test]
    public async Task terminate_child_with_brutal_kill_kills_it_and_does_not_restart_it()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var child = (await sup.StartChildAsync(children.Spec("a", shutdown: ShutdownPolicy.BrutalKill)))!;

        await sup.TerminateChildAsync(child);

        child.HasExited.Should().BeTrue("terminate_child returns once the child is gone");
        (await child.Completion).Should().Be(ExitReason.Killed);
        children.Log.Events.Should().Equal(["start:a"], "a killed child runs no stop callback and is not restarted");
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
    }

    // dynamic_supervisor_test.exs "terminate_child/2 terminates child with integer shutdown"
    [Test]
    public async Task terminate_child_with_a_timeout_stops_a_cooperative_child_gracefully()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var child = (await sup.StartChildAsync(children.Spec("a", shutdown: ShutdownPolicy.After(TimeSpan.FromSeconds(10)))))!;

        await sup.TerminateChildAsync(child);

        (await child.Completion).Should().Be(ExitReason.Shutdown);
        children.Log.Events.Should().Equal("start:a", "stop:a:shutdown");
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
    }

    [Test]
    public async Task terminate_child_kills_a_child_that_ignores_its_stop_after_the_timeout()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var child = (TestChild)(await sup.StartChildAsync(children.Spec("a", shutdown: ShutdownPolicy.After(TimeSpan.FromMilliseconds(100)))))!;
        var release = new TaskCompletionSource();
        await HangAsync(child, release.Task);

        try
        {
            await sup.TerminateChildAsync(child);

            (await child.Completion).Should().Be(ExitReason.Killed);
            (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
            children.Log.Count("start:a").Should().Be(1, "a terminated permanent child is not restarted");
        }
        finally
        {
            release.TrySetResult();
        }
    }

    // dynamic_supervisor_test.exs "terminate_child/2" ({:error, :not_found})
    [Test]
    public async Task terminate_child_of_an_unknown_process_is_not_found()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var stranger = new TestChild("stranger", children.Log);
        await stranger.StartAsync();
        await using var strangerGuard = stranger.Guard();

        var terminate = () => sup.TerminateChildAsync(stranger);

        (await terminate.Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.NotFound);
        stranger.HasExited.Should().BeFalse("a process that is not a child is left alone");
    }

    [Test]
    public async Task terminating_the_same_child_twice_is_not_found_the_second_time()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var child = (await sup.StartChildAsync(children.Spec("a")))!;
        await sup.TerminateChildAsync(child);

        var again = () => sup.TerminateChildAsync(child);

        (await again.Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.NotFound);
    }

    [Test]
    public async Task terminate_child_leaves_the_other_children_running()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var a = (await sup.StartChildAsync(children.Spec("a")))!;
        var b = (await sup.StartChildAsync(children.Spec("b")))!;

        await sup.TerminateChildAsync(a);

        b.HasExited.Should().BeFalse();
        (await sup.WhichChildrenAsync()).Should().ContainSingle().Which.Process.Should().BeSameAs(b);
    }

    // dynamic_supervisor_test.exs "terminate_child/2 terminates restarting child"
    [Test]
    public async Task a_restarting_child_is_terminated_by_its_last_process()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions
        {
            Backoff = new RestartBackoff { InitialDelay = TimeSpan.FromMinutes(10), MaxDelay = TimeSpan.FromMinutes(10), UseJitter = false },
        });
        await using var guard = sup.Guard();
        var last = (await sup.StartChildAsync(children.Spec("a")))!;
        children.FailNextStarts("a", 1);
        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start_failed:a");
        (await sup.WhichChildrenAsync()).Should().ContainSingle().Which.State.Should().Be(ChildState.Restarting);

        await sup.TerminateChildAsync(last);

        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
        children.Log.Count("start:a").Should().Be(1);
    }

    // OTP count_children / which_children on a dynamic supervisor
    [Test]
    public async Task which_and_count_children_report_workers_and_supervisors()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var a = await sup.StartChildAsync(children.Spec("a"));
        var b = await sup.StartChildAsync(children.Spec("b", RestartType.Temporary));
        var nested = await sup.StartChildAsync(ChildSpec.ForDynamicSupervisor("nested", new DynamicSupervisorOptions { Name = "nested" }));

        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(3, 3, 1, 2));
        (await sup.WhichChildrenAsync()).Should().BeEquivalentTo(
            [
                new ChildInfo("a", ChildType.Worker, ChildState.Running, a, RestartType.Permanent, 0),
                new ChildInfo("b", ChildType.Worker, ChildState.Running, b, RestartType.Temporary, 0),
                new ChildInfo("nested", ChildType.Supervisor, ChildState.Running, nested, RestartType.Permanent, 0),
            ],
            options => options.ComparingByValue<ChildInfo>());
        nested.Should().BeOfType<DynamicSupervisor>();
    }

    // dynamic_supervisor_test.exs "terminate/2 terminates children with integer shutdown"; OTP simple_one_for_one_shutdown
    [Test]
    public async Task supervisor_stop_stops_all_children_concurrently()
    {
        const int count = 10;
        var timeout = TimeSpan.FromMilliseconds(300);
        var time = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { TimeProvider = time });
        await using var guard = sup.Guard();
        var release = new TaskCompletionSource();
        var started = new List<TestChild>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var child = (TestChild)(await sup.StartChildAsync(children.Spec($"c{i}", shutdown: ShutdownPolicy.After(timeout))))!;
                await HangAsync(child, release.Task);
                started.Add(child);
            }

            sup.Stop();

            // Every child's shutdown timer exists before any fires: the stops run together, not one after another.
            await time.WaitForTimersAsync(count);
            time.Advance(timeout);
            var reason = await sup.Completion.WaitAsync(TimeSpan.FromSeconds(30));

            reason.Should().Be(ExitReason.Shutdown);
            foreach (var child in started)
            {
                (await child.Completion).Should().Be(ExitReason.Killed);
            }
        }
        finally
        {
            release.TrySetResult();
        }
    }

    // dynamic_supervisor_test.exs "terminate/2 terminates with mixed children"
    [Test]
    public async Task supervisor_stop_applies_each_childs_own_shutdown()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var release = new TaskCompletionSource();
        try
        {
            var brutal = (await sup.StartChildAsync(children.Spec("brutal", shutdown: ShutdownPolicy.BrutalKill)))!;
            var graceful = (await sup.StartChildAsync(children.Spec("graceful", shutdown: ShutdownPolicy.After(TimeSpan.FromSeconds(10)))))!;
            var expired = (TestChild)(await sup.StartChildAsync(children.Spec("expired", shutdown: ShutdownPolicy.After(TimeSpan.FromMilliseconds(100)))))!;
            var infinity = (await sup.StartChildAsync(children.Spec("infinity", RestartType.Transient, ShutdownPolicy.Infinity)))!;
            var temporary = (await sup.StartChildAsync(children.Spec("temporary", RestartType.Temporary)))!;
            await HangAsync(expired, release.Task);

            sup.Stop();

            (await sup.Completion.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(ExitReason.Shutdown);
            (await brutal.Completion).Should().Be(ExitReason.Killed);
            (await graceful.Completion).Should().Be(ExitReason.Shutdown);
            (await expired.Completion).Should().Be(ExitReason.Killed);
            (await infinity.Completion).Should().Be(ExitReason.Shutdown);
            (await temporary.Completion).Should().Be(ExitReason.Shutdown);
            children.Log.Events.Should().Contain(["stop:graceful:shutdown", "stop:infinity:shutdown", "stop:temporary:shutdown"])
                .And.NotContain(e => e.StartsWith("stop:brutal", StringComparison.Ordinal) || e.StartsWith("stop:expired", StringComparison.Ordinal));
        }
        finally
        {
            release.TrySetResult();
        }
    }

    // dynamic_supervisor_test.exs "terminate/2 terminates children with infinity shutdown and abnormal reason"
    [Test]
    public async Task children_are_asked_to_shut_down_whatever_the_supervisors_own_reason()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var child = (await sup.StartChildAsync(children.Spec("a", shutdown: ShutdownPolicy.Infinity)))!;
        var failure = ExitReason.Failure(new InvalidOperationException("supervisor failed"));

        sup.Stop(failure);

        (await sup.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(failure);
        (await child.Completion).Should().Be(ExitReason.Shutdown);
        children.Log.Events.Should().EndWith("stop:a:shutdown");
    }

    [Test]
    public async Task requests_after_the_supervisor_stopped_fail_with_process_exited()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        sup.Stop();
        await sup.Completion.WaitAsync(EventLog.DefaultWait);

        var start = () => sup.StartChildAsync(children.Spec("a"));

        (await start.Should().ThrowAsync<ProcessExitedException>()).Which.Reason.Should().Be(ExitReason.Shutdown);
        children.Log.Events.Should().BeEmpty();
    }

    [Test]
    public async Task killing_the_supervisor_kills_its_children()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var a = (await sup.StartChildAsync(children.Spec("a", shutdown: ShutdownPolicy.Infinity)))!;
        var b = (await sup.StartChildAsync(children.Spec("b", RestartType.Temporary)))!;

        sup.Kill();

        (await sup.Completion).Should().Be(ExitReason.Killed);
        (await a.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Killed);
        (await b.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Killed);
    }

    [Test]
    public async Task a_child_whose_start_finishes_after_the_supervisor_was_killed_is_killed_too()
    {
        var log = new EventLog();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<TestChild>(TaskCreationOptions.RunContinuationsAsynchronously);
        var spec = new ChildSpec
        {
            Id = "slow",
            Start = async _ =>
            {
                entered.TrySetResult();
                await gate.Task;

                // A start that ignores cancellation: it completes although the supervisor is gone.
                var child = new TestChild("slow", log);
                await child.StartAsync(CancellationToken.None);
                started.TrySetResult(child);
                return child;
            },
        };
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();
        var start = sup.StartChildAsync(spec);
        await entered.Task.WaitAsync(EventLog.DefaultWait);

        sup.Kill();
        gate.TrySetResult();

        try
        {
            // The caller sees the kill, or the reply if the abandoned start beat it: either is acceptable.
            await start.WaitAsync(EventLog.DefaultWait);
        }
        catch (ProcessExitedException exception)
        {
            exception.Reason.Should().Be(ExitReason.Killed);
        }

        var orphan = await started.Task.WaitAsync(EventLog.DefaultWait);
        (await orphan.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Killed, "no child outlives its killed supervisor");
    }

    /// <summary>Parks the child's loop in a handler that ignores cancellation until <paramref name="release"/> completes.</summary>
    internal static async Task HangAsync(TestChild child, Task release)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        child.Tell(new TestChild.Hang(entered, release)).Should().BeTrue();
        await entered.Task.WaitAsync(EventLog.DefaultWait);
    }
}
