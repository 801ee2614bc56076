using Supervision.Tests.Support;

namespace Supervision.Tests.Intensity;

/// <summary>
/// Backoff between failed restart attempts (a deliberate extension of OTP's try_again_restart),
/// timed by Polly on a <see cref="SignallingTimeProvider"/>: each step waits until the backoff timer
/// exists, then moves the clock.
/// </summary>
public class RestartBackoffTests
{
    private static readonly TimeSpan Wait = EventLog.DefaultWait;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private static readonly RestartBackoff Exponential = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromMilliseconds(400),
        UseJitter = false,
    };

    private readonly ProcessCleanup _cleanup = new();

    [TearDown]
    public Task TearDown() => _cleanup.StopAllAsync();

    // Extension of OTP try_again_restart: after a failed restart the next attempt waits 100, 200, 400, then 400 ms (capped).
    [Test]
    public async Task failed_restarts_are_retried_after_exponential_delays_capped_at_max_delay()
    {
        var clock = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, Exponential, maxRestarts: 10, children, "a");
        children.FailNextStarts("a", 4);

        await children.CrashAsync("a");

        TimeSpan[] delays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(400)];
        for (var i = 0; i < delays.Length; i++)
        {
            await clock.WaitForTimersAsync(i + 1);
            clock.DueTimes[i].Should().Be(delays[i], "delay #{0}", i + 1);
            Attempts(children.Log.Events).Should().Be(i + 1, "attempt #{0} failed and the next one waits for its delay", i + 1);

            clock.Advance(delays[i] - Tick);
            clock.Fired.Should().Be(i, "the delay has not yet elapsed");
            Attempts(children.Log.Events).Should().Be(i + 1);

            clock.Advance(Tick);
            clock.Fired.Should().Be(i + 1);
            await children.Log.WaitForAsync(events => Attempts(events) >= i + 2);
        }

        await children.Log.WaitForAsync("start:a", 2);
        var which = await sup.WhichChildrenAsync();
        which.Should().ContainSingle().Which.State.Should().Be(ChildState.Running);
        children.Log.Count("start_failed:a").Should().Be(4);
        clock.DueTimes.Should().HaveCount(4, "no delay follows the successful attempt");

        await StopAsync(sup);
    }

    // OTP-9549 (hanging_restart_loop): while a child waits for its next attempt, which_children shows it restarting and count_children excludes it from active.
    [Test]
    public async Task while_a_child_waits_for_its_backoff_the_supervisor_reports_it_restarting()
    {
        var clock = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, Exponential, maxRestarts: 10, children, "a", "b");
        children.FailNextStarts("a", 1000);

        await children.CrashAsync("a");
        await clock.WaitForTimersAsync(1);

        var which = await sup.WhichChildrenAsync();
        which.Select(c => (c.Id, c.State)).Should().Equal(("a", ChildState.Restarting), ("b", ChildState.Running));
        which[0].Process.Should().BeNull();
        var counts = await sup.CountChildrenAsync();
        counts.Should().Be(new ChildCounts(2, 1, 0, 2));

        await StopAsync(sup);
    }

    // OTP-9549 (hanging_restart_loop): terminate_child of a restarting child works and no further attempt is made.
    [Test]
    public async Task terminate_child_while_it_waits_for_its_backoff_stops_the_retries()
    {
        var clock = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, Exponential, maxRestarts: 10, children, "a", "b");

        // The next attempt would succeed, so a retry that was not stopped would show as start:a.
        children.FailNextStarts("a", 1);

        await children.CrashAsync("a");
        await clock.WaitForTimersAsync(1);

        await sup.TerminateChildAsync("a");
        (await sup.WhichChildrenAsync())[0].State.Should().Be(ChildState.Terminated);

        clock.Advance(TimeSpan.FromSeconds(1));
        clock.Fired.Should().Be(1);
        await sup.WhichChildrenAsync();
        var which = await sup.WhichChildrenAsync();

        which.Select(c => (c.Id, c.State)).Should().Equal(("a", ChildState.Terminated), ("b", ChildState.Running));
        children.Log.Count("start:a").Should().Be(1);
        children.Log.Count("start_failed:a").Should().Be(1);
        clock.DueTimes.Should().HaveCount(1, "no further backoff was scheduled");

        await StopAsync(sup);
    }

    // OTP-9549 (hanging_restart_loop): the supervisor shuts down during a restart loop, without waiting for the pending delay.
    [Test]
    public async Task stop_while_a_child_waits_for_its_backoff_completes_without_the_clock_moving()
    {
        var clock = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, Exponential with { InitialDelay = TimeSpan.FromMinutes(1), MaxDelay = TimeSpan.FromMinutes(1) }, maxRestarts: 10, children, "a", "b");
        children.FailNextStarts("a", 1000);

        await children.CrashAsync("a");
        await clock.WaitForTimersAsync(1);

        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        children.Log.Count("start_failed:a").Should().Be(1);
        children.Log.Events.Should().EndWith("stop:b:shutdown");
    }

    // OTP-9549: with backoff, every attempt still counts against restart intensity (one_for_one_escalation).
    [Test]
    public async Task backoff_attempts_count_against_restart_intensity()
    {
        var clock = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, Exponential, maxRestarts: 2, children, "a");
        children.FailNextStarts("a", 1000);

        await children.CrashAsync("a");
        await clock.WaitForTimersAsync(1);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await clock.WaitForTimersAsync(2);
        sup.HasExited.Should().BeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(200));

        var reason = await sup.Completion.WaitAsync(Wait);
        reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Which.ChildId.Should().Be("a");
        children.Log.Count("start_failed:a").Should().Be(2);
    }

    // Extension: with jitter the delay is randomised but never exceeds MaxDelay, so advancing MaxDelay always triggers the attempt.
    [Test]
    public async Task with_jitter_each_delay_stays_within_max_delay()
    {
        var clock = new SignallingTimeProvider();
        var children = new TestChildren(new EventLog());
        var backoff = Exponential with { UseJitter = true };
        var sup = await StartAsync(clock, backoff, maxRestarts: 20, children, "a");
        const int failures = 8;
        children.FailNextStarts("a", failures);

        await children.CrashAsync("a");

        for (var i = 0; i < failures; i++)
        {
            await clock.WaitForTimersAsync(i + 1);
            clock.DueTimes[i].Should().BePositive().And.BeLessThanOrEqualTo(backoff.MaxDelay);
            clock.Advance(backoff.MaxDelay);
            clock.Fired.Should().Be(i + 1);
            await children.Log.WaitForAsync(events => Attempts(events) >= i + 2);
        }

        await children.Log.WaitForAsync("start:a", 2);
        (await sup.WhichChildrenAsync()).Should().ContainSingle().Which.State.Should().Be(ChildState.Running);
        await StopAsync(sup);
    }

    // Validation: a non-positive initial delay is rejected (invalid_backoff).
    [TestCase(0)]
    [TestCase(-5)]
    public void initial_delay_must_be_positive(int milliseconds)
    {
        var backoff = new RestartBackoff { InitialDelay = TimeSpan.FromMilliseconds(milliseconds) };

        backoff.Invoking(b => b.Validate()).Should().Throw<ArgumentOutOfRangeException>()
            .Which.ParamName.Should().Be(nameof(RestartBackoff.InitialDelay));
    }

    // Validation: a cap below the initial delay is rejected (invalid_backoff); equal is allowed.
    [Test]
    public void max_delay_must_not_be_below_initial_delay()
    {
        var backoff = new RestartBackoff { InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) };

        backoff.Invoking(b => b.Validate()).Should().Throw<ArgumentOutOfRangeException>()
            .Which.ParamName.Should().Be(nameof(RestartBackoff.MaxDelay));
        (backoff with { MaxDelay = TimeSpan.FromSeconds(2) }).Invoking(b => b.Validate()).Should().NotThrow();
    }

    // Validation: supervisors reject invalid backoff before starting anything.
    [Test]
    public async Task supervisors_reject_an_invalid_backoff_at_start()
    {
        var children = new TestChildren(new EventLog());
        var bad = new RestartBackoff { InitialDelay = TimeSpan.Zero };

        await FluentActions.Awaiting(() => Supervisor.StartAsync(new SupervisorOptions { Backoff = bad }, [children.Spec("a")]))
            .Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Backoff = bad }))
            .Should().ThrowAsync<ArgumentOutOfRangeException>();
        children.Log.Events.Should().BeEmpty();
    }

    private static int Attempts(IReadOnlyList<string> events) =>
        events.Count(e => e == "start_failed:a") + events.Count(e => e == "start:a") - 1;

    private static async Task StopAsync(IProcess sup)
    {
        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    private async Task<Supervisor> StartAsync(SignallingTimeProvider clock, RestartBackoff backoff, int maxRestarts, TestChildren children, params string[] ids) =>
        _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions
            {
                Name = "sup",
                MaxRestarts = maxRestarts,
                Period = TimeSpan.FromMinutes(5),
                Backoff = backoff,
                TimeProvider = clock,
            },
            ids.Select(id => children.Spec(id))));
}
