using Supervision.Tests.Support;

namespace Supervision.Tests.Supervisors;

/// <summary>
/// OTP's <c>restart_one_for_one</c>, <c>restart_one_for_all</c> and <c>restart_rest_for_one</c> groups,
/// <c>order_of_children</c> and <c>temporary_bystander</c>: which children a restart touches, and in what order.
/// </summary>
public class StrategyTests : SupervisorTestBase
{
    // one_for_one replaces only the crashed child, with a new process; the others keep their instance (OTP one_for_one).
    [Test]
    public async Task One_for_one_restarts_only_the_crashed_child()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));
        var a = Children["a"];
        var c = Children["c"];

        var oldB = await Children.CrashAsync("b");
        var which = await ChildrenByIdAsync(sup);

        EventsAfterStart(3).Should().Equal("stop:b:failure", "start:b");
        which["b"].Process.Should().BeSameAs(Children["b"]).And.NotBeSameAs(oldB);
        which["b"].Process!.Id.Should().NotBe(oldB.Id);
        which["a"].Process.Should().BeSameAs(a);
        which["c"].Process.Should().BeSameAs(c);
        a.HasExited.Should().BeFalse();
        c.HasExited.Should().BeFalse();
    }

    // one_for_all stops the other children in reverse start order, then starts all of them in start order (OTP one_for_all; supervisor.erl restart_multiple_children/3).
    [Test]
    public async Task One_for_all_stops_the_others_newest_first_then_restarts_all_in_start_order()
    {
        var sup = await StartSupervisorAsync(
            Options(SupervisionStrategy.OneForAll), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"), Children.Spec("d"));
        var before = new[] { "a", "b", "c", "d" }.Select(id => Children[id]).ToList();

        await Children.CrashAsync("b");
        var which = await sup.WhichChildrenAsync();

        EventsAfterStart(4).Should().Equal(
            "stop:b:failure",
            "stop:d:shutdown",
            "stop:c:shutdown",
            "stop:a:shutdown",
            "start:a",
            "start:b",
            "start:c",
            "start:d");
        which.Select(c => c.Id).Should().Equal("a", "b", "c", "d");
        which.Should().OnlyContain(c => c.State == ChildState.Running && c.RestartCount == 1);

        // Every child is a new incarnation: a new object with a new id.
        for (var i = 0; i < before.Count; i++)
        {
            which[i].Process.Should().NotBeSameAs(before[i]);
            which[i].Process!.Id.Should().NotBe(before[i].Id);
        }

        (await before[0].Completion).Should().Be(ExitReason.Shutdown);
    }

    // rest_for_one: killing child 3 of 5 makes 5 then 4 exit, then 3, 4, 5 restart in order; 1 and 2 are untouched (OTP order_of_children, rest_for_one).
    [Test]
    public async Task Rest_for_one_restarts_the_failed_child_and_those_started_after_it()
    {
        var ids = new[] { "c1", "c2", "c3", "c4", "c5" };
        var sup = await StartSupervisorAsync(Options(SupervisionStrategy.RestForOne), ids.Select(id => Children.Spec(id)).ToArray());
        var before = ids.ToDictionary(id => id, id => Children[id]);

        await Children.CrashAsync("c3");
        var which = await ChildrenByIdAsync(sup);

        EventsAfterStart(5).Should().Equal(
            "stop:c3:failure",
            "stop:c5:shutdown",
            "stop:c4:shutdown",
            "start:c3",
            "start:c4",
            "start:c5");
        which["c1"].Process.Should().BeSameAs(before["c1"]);
        which["c2"].Process.Should().BeSameAs(before["c2"]);
        foreach (var id in new[] { "c3", "c4", "c5" })
        {
            which[id].Process.Should().BeSameAs(Children[id]).And.NotBeSameAs(before[id]);
            which[id].Process!.Id.Should().NotBe(before[id].Id);
            which[id].RestartCount.Should().Be(1);
        }

        which["c1"].RestartCount.Should().Be(0);
        (await sup.WhichChildrenAsync()).Select(c => c.Id).Should().Equal(ids);
    }

    // rest_for_one: the first child's exit restarts everything, the last child's exit only itself (OTP rest_for_one).
    [TestCase("a", new[] { "stop:a:failure", "stop:c:shutdown", "stop:b:shutdown", "start:a", "start:b", "start:c" })]
    [TestCase("c", new[] { "stop:c:failure", "start:c" })]
    public async Task Rest_for_one_scope_depends_on_the_position_of_the_failed_child(string crashed, string[] expected)
    {
        var sup = await StartSupervisorAsync(Options(SupervisionStrategy.RestForOne), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));

        await Children.CrashAsync(crashed);
        await sup.WhichChildrenAsync();

        EventsAfterStart(3).Should().Equal(expected);
    }

    // A restart of several children is one restart event: it adds one restart to the intensity count, not one per child
    // (OTP one_for_all / rest_for_one: add_restart is called once per exit).
    [TestCase(SupervisionStrategy.OneForAll)]
    [TestCase(SupervisionStrategy.RestForOne)]
    public async Task Group_restart_counts_as_one_restart_against_intensity(SupervisionStrategy strategy)
    {
        var options = new SupervisorOptions { Strategy = strategy, MaxRestarts = 1, Period = TimeSpan.FromHours(1) };
        var sup = await StartSupervisorAsync(options, Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));

        // Three children restarted, yet within an intensity of 1.
        await Children.CrashAsync("a");
        var which = await sup.WhichChildrenAsync();
        which.Should().OnlyContain(c => c.State == ChildState.Running && c.RestartCount == 1);
        sup.HasExited.Should().BeFalse();

        // The second restart event is one too many.
        await Children.CrashAsync("a");
        var reason = await sup.Completion.WaitAsync(Wait);
        reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Which.ChildId.Should().Be("a");
    }

    // A temporary child stopped as a bystander of a one_for_all or rest_for_one restart is dropped, not restarted, and the supervisor survives (OTP temporary_bystander).
    [TestCase(SupervisionStrategy.OneForAll)]
    [TestCase(SupervisionStrategy.RestForOne)]
    public async Task Temporary_bystander_is_dropped_not_restarted(SupervisionStrategy strategy)
    {
        var sup = await StartSupervisorAsync(Options(strategy), Children.Spec("a"), Children.Spec("t", RestartType.Temporary));
        var t = Children["t"];

        await Children.CrashAsync("a");
        var which = await sup.WhichChildrenAsync();

        which.Select(c => c.Id).Should().Equal("a");
        which[0].State.Should().Be(ChildState.Running);
        (await t.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        Log.Count("start:t").Should().Be(1);
        EventsAfterStart(2).Should().Equal("stop:a:failure", "stop:t:shutdown", "start:a");
        sup.HasExited.Should().BeFalse();
    }

    // Under one_for_all a temporary bystander started before the failed child is dropped too (OTP temporary_bystander; terminate_children/2 removes temporary children).
    [Test]
    public async Task One_for_all_drops_a_temporary_bystander_started_before_the_failed_child()
    {
        var sup = await StartSupervisorAsync(
            Options(SupervisionStrategy.OneForAll), Children.Spec("t", RestartType.Temporary), Children.Spec("a"), Children.Spec("b"));

        await Children.CrashAsync("b");
        var which = await sup.WhichChildrenAsync();

        which.Select(c => c.Id).Should().Equal("a", "b");
        EventsAfterStart(3).Should().Equal("stop:b:failure", "stop:a:shutdown", "stop:t:shutdown", "start:a", "start:b");
    }

    // A transient bystander stopped with shutdown is still restarted with its group: the strategy, not its exit reason, decides (OTP restart_multiple_children/3 restarts every non-temporary child).
    [TestCase(SupervisionStrategy.OneForAll)]
    [TestCase(SupervisionStrategy.RestForOne)]
    public async Task Transient_bystander_is_restarted_with_the_group(SupervisionStrategy strategy)
    {
        var sup = await StartSupervisorAsync(Options(strategy), Children.Spec("a"), Children.Spec("tr", RestartType.Transient));
        var tr = Children["tr"];

        await Children.CrashAsync("a");
        var which = await ChildrenByIdAsync(sup);

        which["tr"].State.Should().Be(ChildState.Running);
        which["tr"].Process.Should().NotBeSameAs(tr);
        (await tr.Completion).Should().Be(ExitReason.Shutdown);
    }

    // A temporary child that crashes is not restarted, so rest_for_one does not touch the children started after it (OTP temporary_abnormal; do_restart/3 never calls restart/2 for temporary).
    [TestCase(SupervisionStrategy.RestForOne)]
    [TestCase(SupervisionStrategy.OneForAll)]
    public async Task Temporary_child_crash_leaves_its_siblings_alone(SupervisionStrategy strategy)
    {
        var sup = await StartSupervisorAsync(Options(strategy), Children.Spec("a"), Children.Spec("t", RestartType.Temporary), Children.Spec("c"));
        var a = Children["a"];
        var c = Children["c"];

        await Children.CrashAsync("t");
        var which = await ChildrenByIdAsync(sup);

        which.Keys.Should().BeEquivalentTo(["a", "c"]);
        which["a"].Process.Should().BeSameAs(a);
        which["c"].Process.Should().BeSameAs(c);
        EventsAfterStart(3).Should().Equal("stop:t:failure");
    }

    // A transient child that finishes normally is not restarted, so rest_for_one does not touch the later children (OTP transient_normal).
    [Test]
    public async Task Rest_for_one_transient_normal_exit_leaves_later_children_alone()
    {
        var sup = await StartSupervisorAsync(
            Options(SupervisionStrategy.RestForOne), Children.Spec("a"), Children.Spec("tr", RestartType.Transient), Children.Spec("c"));
        var c = Children["c"];

        await Children.ExitAsync("tr", ExitReason.Normal);
        var which = await ChildrenByIdAsync(sup);

        which["tr"].State.Should().Be(ChildState.Terminated);
        which["c"].Process.Should().BeSameAs(c);
        EventsAfterStart(3).Should().Equal("stop:tr:normal");
    }

    // A group restart starts every stored child, also one that was stopped by terminate_child (supervisor.erl start_children/2 starts every child in the list).
    [Test]
    public async Task One_for_all_restart_also_starts_a_child_stopped_by_terminate_child()
    {
        var sup = await StartSupervisorAsync(Options(SupervisionStrategy.OneForAll), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));
        await sup.TerminateChildAsync("c");

        await Children.CrashAsync("a");
        var which = await sup.WhichChildrenAsync();

        which.Should().OnlyContain(c => c.State == ChildState.Running);
        EventsAfterStart(3).Should().Equal("stop:c:shutdown", "stop:a:failure", "stop:b:shutdown", "start:a", "start:b", "start:c");
    }

    // Children that exit at (nearly) the same time under one_for_all cause a single group restart: the exit of an already
    // replaced process is ignored (supervisor.erl restart_child/3: an EXIT from an unknown pid is dropped).
    [Test]
    public async Task One_for_all_simultaneous_exits_cause_one_group_restart()
    {
        var sup = await StartSupervisorAsync(Options(SupervisionStrategy.OneForAll), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));
        var a = Children["a"];
        var b = Children["b"];

        a.Tell(new TestChild.Crash());
        b.Tell(new TestChild.Crash());
        await Task.WhenAll(a.Completion, b.Completion).WaitAsync(Wait);
        var which = await sup.WhichChildrenAsync();

        which.Should().OnlyContain(c => c.State == ChildState.Running && c.RestartCount == 1);
        Log.Count("start:a").Should().Be(2);
        Log.Count("start:b").Should().Be(2);
        Log.Count("start:c").Should().Be(2);
    }

    // A restart whose start says ignore leaves the child stored with no process, and nothing retries it
    // (supervisor.erl restart(one_for_one, ...): {ok, undefined} sets the pid to undefined).
    [Test]
    public async Task One_for_one_restart_that_ignores_leaves_the_child_terminated()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"), Children.Spec("b"));
        Children.IgnoreNextStarts("a", 1);

        await Children.CrashAsync("a");
        var which = await ChildrenByIdAsync(sup);

        which["a"].State.Should().Be(ChildState.Terminated);
        which["a"].Process.Should().BeNull();
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(2, 1, 0, 2));
        EventsAfterStart(2).Should().Equal("stop:a:failure", "ignored:a");
        (await sup.RestartChildAsync("a")).Should().BeSameAs(Children["a"]);
    }

    // In a group restart a child whose start says ignore is kept, not running, and the rest of the group still starts
    // (supervisor.erl start_children/2: {ok, undefined} keeps a non-temporary child with pid undefined).
    [Test]
    public async Task One_for_all_restart_continues_past_a_child_that_ignores()
    {
        var sup = await StartSupervisorAsync(Options(SupervisionStrategy.OneForAll), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));
        Children.IgnoreNextStarts("b", 1);

        await Children.CrashAsync("a");
        var which = await ChildrenByIdAsync(sup);

        which["a"].State.Should().Be(ChildState.Running);
        which["b"].State.Should().Be(ChildState.Terminated);
        which["c"].State.Should().Be(ChildState.Running);
        EventsAfterStart(3).Should().Equal("stop:a:failure", "stop:c:shutdown", "stop:b:shutdown", "start:a", "ignored:b", "start:c");
    }

    /// <summary>The events after the first <paramref name="initialStarts"/> (the supervisor's start-up).</summary>
    private IReadOnlyList<string> EventsAfterStart(int initialStarts)
    {
        var events = Log.Events;
        events.Take(initialStarts).Should().OnlyContain(e => e.StartsWith("start:", StringComparison.Ordinal));
        return events.Skip(initialStarts).ToList();
    }
}
