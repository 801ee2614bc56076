namespace Supervision.Tests.Supervisors;

/// <summary>
/// OTP's failed-restart cases (OTP-9549): <c>hanging_restart_loop</c>, <c>hanging_restart_loop_rest_for_one</c>,
/// <c>count_restarting_children</c>, <c>one_for_all_other_child_fails_restart</c>,
/// <c>rest_for_one_other_child_fails_restart</c> and the <c>*_escalation</c> cases.
/// </summary>
public class FailedRestartTests : SupervisorTestBase
{
    private StartGate _gate = new();

    [SetUp]
    public void CreateGate() => _gate = new StartGate();

    // Never leave a supervisor held inside a gated start: the tear-down could not stop it.
    [TearDown]
    public void OpenGate() => _gate.Open();

    // While a child's restart keeps failing, the supervisor still answers: which_children shows it restarting,
    // count_children leaves it out of active, restart_child/delete_child say restarting, start_child says
    // already_present (OTP hanging_restart_loop, count_restarting_children).
    [Test]
    public async Task Hanging_restart_loop_child_is_shown_as_restarting()
    {
        var sup = await StartSupervisorAsync(Options(), _gate.Wrap(Children.Spec("a"), Log), Children.Spec("b"));
        _gate.FailNext(int.MaxValue);

        await Children.CrashAsync("a");
        await Log.WaitForAsync("attempt:a");

        // Held in the first attempt: these requests queue up behind it, ahead of the retry.
        var which = sup.WhichChildrenAsync();
        var counts = sup.CountChildrenAsync();
        var restart = sup.RestartChildAsync("a");
        var delete = sup.DeleteChildAsync("a");
        var start = sup.StartChildAsync(Children.Spec("a"));
        _gate.Release();

        var info = (await which).Single(c => c.Id == "a");
        info.State.Should().Be(ChildState.Restarting);
        info.Process.Should().BeNull();
        (await counts).Should().Be(new ChildCounts(2, 1, 0, 2));
        (await FluentActions.Awaiting(() => restart).Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.Restarting);
        (await FluentActions.Awaiting(() => delete).Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.Restarting);
        (await FluentActions.Awaiting(() => start).Should().ThrowAsync<SupervisorException>()).Which.Error.Should().Be(SupervisorError.AlreadyPresent);

        // And it keeps retrying.
        await Log.WaitForAsync("attempt:a", 2);
    }

    // terminate_child on a restarting child works and ends the restart loop; the child is then terminated and
    // can be restarted by restart_child (OTP hanging_restart_loop).
    [Test]
    public async Task Hanging_restart_loop_terminate_child_stops_the_retries()
    {
        var sup = await StartSupervisorAsync(Options(), _gate.Wrap(Children.Spec("a"), Log), Children.Spec("b"));
        _gate.FailNext(int.MaxValue);
        await Children.CrashAsync("a");
        await Log.WaitForAsync("attempt:a");

        var terminate = sup.TerminateChildAsync("a");
        _gate.Release();
        await terminate;

        // No retry follows: a round trip later it is still terminated and was attempted only once.
        var info = (await ChildrenByIdAsync(sup))["a"];
        info.State.Should().Be(ChildState.Terminated);
        await sup.WhichChildrenAsync();
        Log.Count("attempt:a").Should().Be(1);
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(2, 1, 0, 2));

        _gate.FailNext(0);
        (await sup.RestartChildAsync("a")).Should().BeSameAs(Children["a"]);
        (await ChildrenByIdAsync(sup))["a"].State.Should().Be(ChildState.Running);
    }

    // A retry does not spin inside one call: between attempts the supervisor handles requests, and a stop request ends the loop
    // (OTP hanging_restart_loop: the supervisor can be shut down during the loop).
    [Test]
    public async Task Hanging_restart_loop_supervisor_stop_works()
    {
        // The first start succeeds; every restart fails at once, for ever, and no intensity limit ends the loop.
        var attempts = 0;
        var looping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var working = Children.Spec("a");
        var spec = working with
        {
            Start = async cancellationToken =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    return await working.Start(cancellationToken);
                }

                if (Volatile.Read(ref attempts) >= 4)
                {
                    looping.TrySetResult();
                }

                throw new InvalidOperationException("a refuses to start");
            },
        };
        var sup = await StartSupervisorAsync(Options() with { MaxRestarts = int.MaxValue }, spec, Children.Spec("b"));

        await Children.CrashAsync("a");
        await looping.Task.WaitAsync(Wait);

        // Requests are still answered between attempts.
        (await ChildrenByIdAsync(sup))["a"].State.Should().Be(ChildState.Restarting);

        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        (await Children["b"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // When, during a one_for_all restart, another child fails to start, the children already restarted are stopped
    // again with shutdown and the whole group is restarted on the retry (OTP one_for_all_other_child_fails_restart).
    [Test]
    public async Task One_for_all_other_child_fails_restart()
    {
        var sup = await StartSupervisorAsync(Options(SupervisionStrategy.OneForAll), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));
        Children.FailNextStarts("b", 1);

        await Children.CrashAsync("a");
        await Log.WaitForAsync("start:c", 2);
        var which = await sup.WhichChildrenAsync();

        Log.Events.Skip(3).Should().Equal(
            "stop:a:failure",
            "stop:c:shutdown",
            "stop:b:shutdown",
            "start:a",
            "start_failed:b",
            "stop:a:shutdown",
            "start:a",
            "start:b",
            "start:c");
        which.Should().OnlyContain(c => c.State == ChildState.Running);
        which.Select(c => c.Process).Should().Equal(Children["a"], Children["b"], Children["c"]);
    }

    // When, during a rest_for_one restart, a later child fails to start, only that child and those after it are retried;
    // the children restarted before it keep running (OTP rest_for_one_other_child_fails_restart).
    [Test]
    public async Task Rest_for_one_other_child_fails_restart()
    {
        var sup = await StartSupervisorAsync(Options(SupervisionStrategy.RestForOne), Children.Spec("a"), Children.Spec("b"), Children.Spec("c"));
        Children.FailNextStarts("b", 1);

        await Children.CrashAsync("a");
        await Log.WaitForAsync("start:c", 2);
        var restartedA = Children["a"];
        var which = await ChildrenByIdAsync(sup);

        Log.Events.Skip(3).Should().Equal(
            "stop:a:failure",
            "stop:c:shutdown",
            "stop:b:shutdown",
            "start:a",
            "start_failed:b",
            "start:b",
            "start:c");
        which["a"].Process.Should().BeSameAs(restartedA);
        restartedA.HasExited.Should().BeFalse();
        which.Values.Should().OnlyContain(c => c.State == ChildState.Running);
    }

    // Under rest_for_one, while the failed child is restarting the earlier children run and the later ones are not started;
    // counts are [3,1,0,3] (OTP hanging_restart_loop_rest_for_one).
    [Test]
    public async Task Hanging_restart_loop_rest_for_one()
    {
        var sup = await StartSupervisorAsync(
            Options(SupervisionStrategy.RestForOne), Children.Spec("a"), _gate.Wrap(Children.Spec("b"), Log), Children.Spec("c"));
        var a = Children["a"];
        _gate.FailNext(int.MaxValue);

        await Children.CrashAsync("b");
        await Log.WaitForAsync("attempt:b");
        var which = sup.WhichChildrenAsync();
        var counts = sup.CountChildrenAsync();
        _gate.Release();

        var states = (await which).ToDictionary(c => c.Id, c => c.State);
        states.Should().Equal(new Dictionary<string, ChildState>
        {
            ["a"] = ChildState.Running,
            ["b"] = ChildState.Restarting,
            ["c"] = ChildState.Terminated,
        });
        (await counts).Should().Be(new ChildCounts(3, 1, 0, 3));
        (await which)[0].Process.Should().BeSameAs(a);

        // Once b starts again, c is started after it; a is never touched.
        await Log.WaitForAsync("attempt:b", 2);
        _gate.FailNext(0);
        _gate.Release();
        await Log.WaitForAsync("start:c", 2);
        var after = await ChildrenByIdAsync(sup);
        after.Values.Should().OnlyContain(c => c.State == ChildState.Running);
        after["a"].Process.Should().BeSameAs(a);
    }

    // Each failed restart attempt is a restart and consumes intensity, so a child that can never start again makes the
    // supervisor give up: MaxRestarts start attempts, the next restart is one too many (OTP one_for_one_escalation,
    // one_for_all_escalation, rest_for_one_escalation; OTP-9549).
    [TestCase(SupervisionStrategy.OneForOne, 1)]
    [TestCase(SupervisionStrategy.OneForOne, 3)]
    [TestCase(SupervisionStrategy.OneForAll, 3)]
    [TestCase(SupervisionStrategy.RestForOne, 3)]
    public async Task Child_that_never_restarts_exhausts_intensity(SupervisionStrategy strategy, int maxRestarts)
    {
        var options = new SupervisorOptions { Strategy = strategy, MaxRestarts = maxRestarts, Period = TimeSpan.FromHours(1) };
        var sup = await StartSupervisorAsync(options, Children.Spec("a"), Children.Spec("b"));
        Children.FailNextStarts("a", int.MaxValue);

        await Children.CrashAsync("a");
        var reason = await sup.Completion.WaitAsync(Wait);

        reason.IsRestartIntensityExceeded.Should().BeTrue();
        var exceeded = reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Which;
        exceeded.ChildId.Should().Be("a");
        exceeded.LastReason.Kind.Should().Be(ExitKind.Failure);
        Log.Count("start_failed:a").Should().Be(maxRestarts);

        // The sibling was stopped once, by the group restart or with the supervisor, and never restarted.
        (await Children["b"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        Log.Count("stop:b:shutdown").Should().Be(1);
        Log.Count("start:b").Should().Be(1);
    }
}
