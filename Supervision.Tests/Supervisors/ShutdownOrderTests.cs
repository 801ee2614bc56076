using Supervision.Tests.Support;

namespace Supervision.Tests.Supervisors;

/// <summary>
/// The order in which a static supervisor stops its children (OTP <c>order_of_children</c>, the shutdown part of
/// <c>tree</c>) and children exiting on their own while it does (OTP <c>sup_stop_race</c>). Shutdown timeouts,
/// brutal kill and infinity are covered in <c>Supervision.Tests.Shutdown</c>.
/// </summary>
public class ShutdownOrderTests : SupervisorTestBase
{
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [SetUp]
    public void CreateRelease() => _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    // Never leave a slow child held: the tear-down could not stop its supervisor.
    [TearDown]
    public void ReleaseSlowChildren() => _release.TrySetResult();

    // Stopping the supervisor terminates the children newest first: 5, 4, 3, 2, 1 (OTP order_of_children).
    [Test]
    public async Task Supervisor_stops_children_in_reverse_start_order()
    {
        var ids = new[] { "c1", "c2", "c3", "c4", "c5" };
        var sup = await StartSupervisorAsync(Options(), ids.Select(id => Children.Spec(id)).ToArray());

        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);

        Log.Events.Skip(5).Should().Equal("stop:c5:shutdown", "stop:c4:shutdown", "stop:c3:shutdown", "stop:c2:shutdown", "stop:c1:shutdown");
        foreach (var id in ids)
        {
            (await Children[id].Completion).Should().Be(ExitReason.Shutdown);
        }
    }

    // The stop order is the start order reversed as the supervisor holds it: a restarted child keeps its place, a child added
    // at run time is newest, a deleted and re-added child moves to the end (OTP order_of_children; supervisor.erl keeps an id list).
    [Test]
    public async Task Stop_order_follows_restarts_and_run_time_additions()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));
        await Children.CrashAsync("b");
        await sup.StartChildAsync(Children.Spec("d"));
        await sup.TerminateChildAsync("a");
        await sup.DeleteChildAsync("a");
        await sup.StartChildAsync(Children.Spec("a"));
        var eventsBeforeStop = Log.Events.Count;

        sup.Stop();
        await sup.Completion.WaitAsync(Wait);

        Log.Events.Skip(eventsBeforeStop).Should().Equal("stop:a:shutdown", "stop:d:shutdown", "stop:c:shutdown", "stop:b:shutdown");
    }

    // A supervisor child is stopped as a whole, its own children newest first, before the children started before it
    // (OTP tree; supervisor children default to shutdown infinity so the subtree stops in order).
    [Test]
    public async Task Nested_supervisor_stops_its_subtree_in_order()
    {
        var sup = await StartSupervisorAsync(
            Options(),
            Children.Spec("a"),
            ChildSpec.ForSupervisor("sub", Options() with { Name = "sub" }, [Children.Spec("x"), Children.Spec("y")]),
            Children.Spec("b"));

        sup.Stop();
        await sup.Completion.WaitAsync(Wait);

        Log.Events.Should().Equal(
            "start:a", "start:x", "start:y", "start:b",
            "stop:b:shutdown", "stop:y:shutdown", "stop:x:shutdown", "stop:a:shutdown");
    }

    // terminate_child of a supervisor child stops its whole subtree, newest first (OTP tree).
    [Test]
    public async Task Terminate_child_of_a_supervisor_child_stops_its_subtree_in_order()
    {
        var sup = await StartSupervisorAsync(
            Options(),
            ChildSpec.ForSupervisor("sub", Options() with { Name = "sub" }, [Children.Spec("x"), Children.Spec("y"), Children.Spec("z")]),
            Children.Spec("a"));

        await sup.TerminateChildAsync("sub");

        Log.Events.Skip(4).Should().Equal("stop:z:shutdown", "stop:y:shutdown", "stop:x:shutdown");
        (await ChildrenByIdAsync(sup))["a"].State.Should().Be(ChildState.Running);
    }

    // A static supervisor stops its children one at a time: the next is asked to stop only once the previous has exited
    // (supervisor.erl terminate_children/2 maps do_terminate sequentially).
    [Test]
    public async Task Children_are_stopped_one_at_a_time()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"), SlowStopSpec("slow"));

        sup.Stop();
        await Log.WaitForAsync("stopping:slow");
        var a = Children["a"];
        a.HasExited.Should().BeFalse();
        _release.TrySetResult();
        await sup.Completion.WaitAsync(Wait);

        Log.Events.Should().Equal("start:a", "start:slow", "stopping:slow", "stop:slow:shutdown", "stop:a:shutdown");
    }

    // Children that exit on their own, for any reason, while the supervisor is shutting down keep their own exit reason,
    // are not restarted, and the shutdown completes with reason shutdown (OTP sup_stop_race).
    [Test]
    public async Task Sup_stop_race()
    {
        var reasons = new Dictionary<string, ExitReason?>
        {
            ["normal"] = ExitReason.Normal,
            ["shutdown"] = ExitReason.Shutdown,
            ["shutdown_test"] = ExitReason.ShutdownWith("test"),
            ["crash"] = null,
            ["killed"] = ExitReason.Killed,
        };
        var specs = new List<ChildSpec>();
        foreach (var restart in Enum.GetValues<RestartType>())
        {
            specs.AddRange(reasons.Keys.Select(how => Children.Spec($"{restart}_{how}".ToLowerInvariant(), restart)));
        }

        // Started last, so stopped first: holds the supervisor's shutdown while the others exit by themselves.
        specs.Add(SlowStopSpec("slow"));
        var sup = await StartSupervisorAsync(Options(), [.. specs]);
        var racers = specs.Take(specs.Count - 1).Select(s => Children[s.Id]).ToList();

        sup.Stop();
        await Log.WaitForAsync("stopping:slow");
        foreach (var racer in racers)
        {
            var how = racer.ChildId[(racer.ChildId.IndexOf('_', StringComparison.Ordinal) + 1)..];
            switch (reasons[how])
            {
                case null:
                    racer.Tell(new TestChild.Crash("race"));
                    break;
                case { Kind: ExitKind.Killed }:
                    racer.Kill();
                    break;
                case { } reason:
                    racer.Tell(new TestChild.ExitWith(reason));
                    break;
            }
        }

        await Task.WhenAll(racers.Select(r => r.Completion)).WaitAsync(Wait);
        _release.TrySetResult();

        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        foreach (var racer in racers)
        {
            var how = racer.ChildId[(racer.ChildId.IndexOf('_', StringComparison.Ordinal) + 1)..];
            var actual = await racer.Completion;
            if (reasons[how] is { } expected)
            {
                actual.Should().Be(expected, because: $"{racer.ChildId} exited by itself");
            }
            else
            {
                actual.Kind.Should().Be(ExitKind.Failure, because: $"{racer.ChildId} crashed by itself");
                actual.Exception!.Message.Should().Be("race");
            }

            Log.Count($"start:{racer.ChildId}").Should().Be(1, because: "nothing is restarted during shutdown");
        }

        Log.Events.Should().ContainInOrder("stopping:slow", "stop:slow:shutdown");
    }

    /// <summary>A worker child whose stop callback logs <c>stopping:{id}</c> and then waits until the test releases it.</summary>
    private ChildSpec SlowStopSpec(string id) =>
        ChildSpec.ForWorker(id, () => new SlowStopChild(id, Log, _release.Task)) with { Shutdown = ShutdownPolicy.Infinity };

    private sealed class SlowStopChild(string id, EventLog log, Task release) : Worker<object>(new WorkerOptions { Name = id })
    {
        protected override ValueTask InitAsync(CancellationToken cancellationToken)
        {
            log.Add($"start:{id}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask HandleAsync(object message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
        {
            log.Add($"stopping:{id}");
            await release;
            log.Add($"stop:{id}:{reason.Kind.ToString().ToLowerInvariant()}");
        }
    }
}
