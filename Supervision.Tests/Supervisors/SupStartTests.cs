using Supervision.Tests.Support;

namespace Supervision.Tests.Supervisors;

/// <summary>OTP's <c>sup_start</c> group: starting a supervisor and its children, ignore, and start failures.</summary>
public class SupStartTests : SupervisorTestBase
{
    /// <summary>Start functions that fail in every way a .NET start function can, standing in for OTP's <c>{error, R}</c> and junk returns.</summary>
    private static readonly object[] s_failingStarts =
    [
        new TestCaseData((Func<CancellationToken, Task<IProcess?>>)(_ => throw new InvalidOperationException("sync")))
            .SetArgDisplayNames("throws_synchronously"),
        new TestCaseData((Func<CancellationToken, Task<IProcess?>>)(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("async");
        })).SetArgDisplayNames("faults_asynchronously"),
        new TestCaseData((Func<CancellationToken, Task<IProcess?>>)(_ => Task.FromCanceled<IProcess?>(new CancellationToken(canceled: true))))
            .SetArgDisplayNames("returns_a_cancelled_task"),
        new TestCaseData((Func<CancellationToken, Task<IProcess?>>)(_ => null!))
            .SetArgDisplayNames("returns_no_task_at_all"),
    ];

    // An empty supervisor starts, reports no children, and stops with reason shutdown (OTP sup_start_normal).
    [Test]
    public async Task Sup_start_normal()
    {
        var sup = await StartSupervisorAsync(Options());

        (await sup.WhichChildrenAsync()).Should().BeEmpty();
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // start_link starts the children in list order and returns only once all have started (OTP order_of_children, start part).
    [Test]
    public async Task Sup_start_starts_children_in_list_order_before_returning()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));

        Log.Events.Should().Equal("start:a", "start:b", "start:c");
        (await sup.WhichChildrenAsync()).Should().OnlyContain(c => c.State == ChildState.Running);
    }

    // A child whose start says ignore is kept with no process; start_child of such a child returns {ok, undefined} (OTP sup_start_ignore_child).
    [Test]
    public async Task Sup_start_ignore_child()
    {
        Children.IgnoreNextStarts("b", 1);
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"), Children.Spec("b"));

        var which = await ChildrenByIdAsync(sup);
        which["b"].State.Should().Be(ChildState.Terminated);
        which["b"].Process.Should().BeNull();
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(2, 1, 0, 2));

        Children.IgnoreNextStarts("c", 1);
        var started = await sup.StartChildAsync(Children.Spec("c"));

        started.Should().BeNull();
        (await sup.GetChildSpecAsync("c")).Id.Should().Be("c");
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(3, 1, 0, 3));
        Log.Events.Should().Equal("start:a", "ignored:b", "ignored:c");

        // The kept spec is usable: restart_child starts it.
        var restarted = await sup.RestartChildAsync("b");
        restarted.Should().BeSameAs(Children["b"]);
        (await ChildrenByIdAsync(sup))["b"].State.Should().Be(ChildState.Running);
    }

    // A temporary child whose start in init says ignore is not stored at all (OTP sup_start_ignore_temporary_child).
    [Test]
    public async Task Sup_start_ignore_temporary_child()
    {
        Children.IgnoreNextStarts("b", 1);
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"), Children.Spec("b", RestartType.Temporary));

        (await sup.WhichChildrenAsync()).Select(c => c.Id).Should().Equal("a");
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(1, 1, 0, 1));
        var lookup = await FluentActions.Awaiting(() => sup.GetChildSpecAsync("b")).Should().ThrowAsync<SupervisorException>();
        lookup.Which.Error.Should().Be(SupervisorError.NotFound);
    }

    // A temporary child added with start_child whose start says ignore returns {ok, undefined} and is not stored (OTP sup_start_ignore_temporary_child_start_child).
    [Test]
    public async Task Sup_start_ignore_temporary_child_start_child()
    {
        var sup = await StartSupervisorAsync(Options());
        Children.IgnoreNextStarts("t", 1);

        var started = await sup.StartChildAsync(Children.Spec("t", RestartType.Temporary));

        started.Should().BeNull();
        (await sup.WhichChildrenAsync()).Should().BeEmpty();

        // Nothing was stored, so the same id can be added again (no already_present).
        var again = await sup.StartChildAsync(Children.Spec("t", RestartType.Temporary));
        again.Should().BeSameAs(Children["t"]);
    }

    // At the first child whose start fails, the children already started are stopped newest first and
    // start_link fails with {shutdown, {failed_to_start_child, Id, Reason}}; later children are never started
    // (OTP sup_start_child_returns_error, faulty_application_shutdown; supervisor.erl init_children/2).
    [TestCase("a", new string[0], new[] { "start_failed:a" })]
    [TestCase("b", new[] { "a" }, new[] { "start:a", "start_failed:b", "stop:a:shutdown" })]
    [TestCase("c", new[] { "a", "b" }, new[] { "start:a", "start:b", "start_failed:c", "stop:b:shutdown", "stop:a:shutdown" })]
    public async Task Sup_start_failure_stops_started_children_in_reverse_order_and_fails_the_start(string failing, string[] startedBefore, string[] expectedEvents)
    {
        Children.FailNextStarts(failing, 1);
        var options = Options() with { Name = "failing_sup" };

        var start = await FluentActions.Awaiting(() => Supervisor.StartAsync(options, [Children.Spec("a"), Children.Spec("b"), Children.Spec("c")]))
            .Should().ThrowAsync<ChildStartException>();

        start.Which.ChildId.Should().Be(failing);
        start.Which.Supervisor.Should().Be("failing_sup");
        start.Which.InnerException.Should().BeOfType<InvalidOperationException>()
            .Which.Message.Should().Be($"{failing} refuses to start");
        Log.Events.Should().Equal(expectedEvents);
        foreach (var id in startedBefore)
        {
            Children[id].HasExited.Should().BeTrue();
            (await Children[id].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        }
    }

    // The failure cause is handed back unchanged, as OTP returns the child's own Reason (OTP sup_start_child_returns_error).
    [Test]
    public async Task Sup_start_failure_carries_the_start_functions_exception_as_inner_exception()
    {
        var cause = new InvalidOperationException("database unreachable");
        var failing = new ChildSpec { Id = "db", Start = _ => Task.FromException<IProcess?>(cause) };

        var start = await FluentActions.Awaiting(() => Supervisor.StartAsync(Options(), [Children.Spec("a"), failing]))
            .Should().ThrowAsync<ChildStartException>();

        start.Which.InnerException.Should().BeSameAs(cause);
        start.Which.Message.Should().Contain("failed_to_start_child").And.Contain("db");
        (await Children["a"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // A start function that errors or returns junk makes start_child return an error; nothing is stored and
    // the supervisor is unaffected (OTP sup_start_child_returns_error; supervisor.erl do_start_child_i/3 catches everything).
    [TestCaseSource(nameof(s_failingStarts))]
    public async Task Sup_start_child_returns_error(Func<CancellationToken, Task<IProcess?>> start)
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"));
        var a = Children["a"];

        var failure = await FluentActions.Awaiting(() => sup.StartChildAsync(new ChildSpec { Id = "x", Start = start }))
            .Should().ThrowAsync<ChildStartException>();

        failure.Which.ChildId.Should().Be("x");
        failure.Which.InnerException.Should().NotBeNull();
        var lookup = await FluentActions.Awaiting(() => sup.GetChildSpecAsync("x")).Should().ThrowAsync<SupervisorException>();
        lookup.Which.Error.Should().Be(SupervisorError.NotFound);
        var which = await sup.WhichChildrenAsync();
        which.Should().ContainSingle().Which.Process.Should().BeSameAs(a);
        sup.HasExited.Should().BeFalse();
    }

    // restart_child whose start fails returns the error and leaves the child stored but not running (OTP sup_start_restart_child_returns_error).
    [Test]
    public async Task Sup_start_restart_child_returns_error()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"));
        await sup.TerminateChildAsync("a");
        Children.FailNextStarts("a", 1);

        var failure = await FluentActions.Awaiting(() => sup.RestartChildAsync("a")).Should().ThrowAsync<ChildStartException>();

        failure.Which.ChildId.Should().Be("a");
        var which = await ChildrenByIdAsync(sup);
        which["a"].State.Should().Be(ChildState.Terminated);
        which["a"].Process.Should().BeNull();

        // Not a restart loop: no retry happens, and a later restart_child works.
        (await sup.WhichChildrenAsync()).Should().ContainSingle();
        Log.Count("start_failed:a").Should().Be(1);
        (await sup.RestartChildAsync("a")).Should().BeSameAs(Children["a"]);
    }

    // Issue 10 point 11: the cleanup of a failed start honours the caller's token, so a sibling that never stops cannot hang StartAsync.
    [Test]
    public async Task Sup_start_failure_cleanup_is_abandoned_with_the_callers_token_and_kills_what_would_not_stop()
    {
        Children.FailNextStarts("b", 1);
        using var cancel = new CancellationTokenSource();
        var start = Supervisor.StartAsync(
            new SupervisorOptions(),
            [Children.Spec("hang", shutdown: ShutdownPolicy.Infinity, ignoreStop: true), Children.Spec("b")],
            cancel.Token);
        await Log.WaitForAsync("start_failed:b");
        start.IsCompleted.Should().BeFalse("hang ignores its stop and its shutdown is infinity");

        cancel.Cancel();

        var wait = () => start.WaitAsync(Wait);
        await wait.Should().ThrowAsync<ChildStartException>();
        (await Children["hang"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Killed);
    }
}
