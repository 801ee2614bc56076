using Microsoft.Extensions.Time.Testing;
using Supervision.Tests.Support;

namespace Supervision.Tests.Intensity;

/// <summary>Restart intensity (OTP's MaxR in MaxT), on a fake clock so that windows are exact and never slept through.</summary>
public class RestartIntensityTests
{
    private static readonly TimeSpan Wait = EventLog.DefaultWait;

    private readonly ProcessCleanup _cleanup = new();

    [TearDown]
    public Task TearDown() => _cleanup.StopAllAsync();

    // OTP: exactly MaxR restarts within MaxT are allowed (one_for_one, first part).
    [Test]
    public async Task exactly_max_restarts_within_period_are_allowed_and_the_supervisor_survives()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, maxRestarts: 3, TimeSpan.FromSeconds(5), children, "a");

        for (var i = 1; i <= 3; i++)
        {
            await children.CrashAsync("a");
            await children.Log.WaitForAsync("start:a", i + 1);
        }

        var which = await sup.WhichChildrenAsync();
        sup.HasExited.Should().BeFalse();
        which.Should().ContainSingle().Which.Should().Match<ChildInfo>(c => c.State == ChildState.Running && c.RestartCount == 3);

        await StopAsync(sup);
    }

    // OTP: the (MaxR+1)-th restart within MaxT terminates all remaining children in reverse order, then the supervisor (one_for_one; checklist 26, 31).
    [Test]
    public async Task one_restart_more_than_max_restarts_shuts_the_supervisor_down_and_stops_remaining_children_in_reverse_order()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, maxRestarts: 3, TimeSpan.FromSeconds(5), children, "a", "b", "c", "d");

        for (var i = 1; i <= 3; i++)
        {
            await children.CrashAsync("b");
            await children.Log.WaitForAsync("start:b", i + 1);
        }

        var lastB = await children.CrashAsync("b");
        var reason = await sup.Completion.WaitAsync(Wait);

        reason.Kind.Should().Be(ExitKind.Shutdown, "OTP: a supervisor that gives up exits shutdown");
        reason.IsRestartIntensityExceeded.Should().BeTrue();
        var exceeded = reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Subject;
        exceeded.ChildId.Should().Be("b");
        exceeded.Supervisor.Should().Be("sup");
        exceeded.LastReason.Kind.Should().Be(ExitKind.Failure);
        children.Log.Count("start:b").Should().Be(4, "the fourth crash is not followed by a restart");
        children.Log.Events.TakeLast(4).Should().Equal("stop:b:failure", "stop:d:shutdown", "stop:c:shutdown", "stop:a:shutdown");
        (await lastB.Completion).Kind.Should().Be(ExitKind.Failure);
        foreach (var id in new[] { "a", "c", "d" })
        {
            (await children[id].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        }
    }

    // OTP: the window slides; intensity 1 in 1 s with a crash every 2.1 s survives indefinitely (multiple_restarts).
    [Test]
    public async Task window_slides_so_crashes_spaced_beyond_the_period_never_exhaust_intensity()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, maxRestarts: 1, TimeSpan.FromSeconds(1), children, "a");

        for (var i = 1; i <= 6; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(2.1));
            await children.CrashAsync("a");
            await children.Log.WaitForAsync("start:a", i + 1);
        }

        await sup.WhichChildrenAsync();
        sup.HasExited.Should().BeFalse();

        // Control: without the clock moving, the second crash is one too many.
        await children.CrashAsync("a");
        (await sup.Completion.WaitAsync(Wait)).Exception.Should().BeOfType<RestartIntensityExceededException>();
    }

    // OTP: the boundary is inclusive, a restart exactly MaxT ago still counts (add_restart/3: R >= Now - Period).
    [Test]
    public async Task a_restart_exactly_one_period_after_the_first_still_counts()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, maxRestarts: 1, TimeSpan.FromSeconds(1), children, "a");

        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 2);
        clock.Advance(TimeSpan.FromSeconds(1));
        await children.CrashAsync("a");

        var reason = await sup.Completion.WaitAsync(Wait);
        reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Which.ChildId.Should().Be("a");
        children.Log.Count("start:a").Should().Be(2);
    }

    // OTP: a restart just beyond MaxT has left the window (add_restart/3), the complement of the inclusive boundary.
    [Test]
    public async Task a_restart_just_over_one_period_after_the_first_no_longer_counts()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, maxRestarts: 1, TimeSpan.FromSeconds(1), children, "a");

        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 2);
        clock.Advance(TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(1));
        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 3);

        await sup.WhichChildrenAsync();
        sup.HasExited.Should().BeFalse();
        await StopAsync(sup);
    }

    // OTP: intensity 0, the first restart request shuts the supervisor down (checklist 28).
    [Test]
    public async Task max_restarts_zero_gives_up_on_the_first_restart_request()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, maxRestarts: 0, TimeSpan.FromSeconds(5), children, "a", "b");

        await children.CrashAsync("a");

        var reason = await sup.Completion.WaitAsync(Wait);
        reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Which.ChildId.Should().Be("a");
        children.Log.Count("start:a").Should().Be(1);
        children.Log.Events.Should().EndWith("stop:b:shutdown");
    }

    // OTP: one intensity counter per supervisor, shared by all its children (checklist 29).
    [Test]
    public async Task the_counter_is_per_supervisor_and_shared_by_all_children()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, maxRestarts: 3, TimeSpan.FromSeconds(5), children, "a", "b");

        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 2);
        await children.CrashAsync("b");
        await children.Log.WaitForAsync("start:b", 2);
        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 3);
        await sup.WhichChildrenAsync();
        sup.HasExited.Should().BeFalse("three restarts are allowed");

        // Two crashes each, but four for the supervisor.
        await children.CrashAsync("b");

        var reason = await sup.Completion.WaitAsync(Wait);
        reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Which.ChildId.Should().Be("b");
        children.Log.Count("start:b").Should().Be(2);
        (await children["a"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    // OTP-9549: each failed restart attempt is a restart and consumes intensity; a child that never starts makes the supervisor give up (one_for_one_escalation).
    [Test]
    public async Task each_failed_restart_attempt_counts_so_a_child_that_never_starts_exhausts_intensity()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = await StartAsync(clock, maxRestarts: 3, TimeSpan.FromSeconds(5), children, "a", "b");
        children.FailNextStarts("a", 1000);

        await children.CrashAsync("a");

        var reason = await sup.Completion.WaitAsync(Wait);
        var exceeded = reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Subject;
        exceeded.ChildId.Should().Be("a");

        // The crash and two retries were allowed and attempted; the fourth restart request gave up.
        children.Log.Count("start_failed:a").Should().Be(3);
        children.Log.Count("start:a").Should().Be(1);
        children.Log.Events.Should().EndWith("stop:b:shutdown");
    }

    // OTP: a dynamic supervisor applies the same intensity arithmetic over all its children (simple_one_for_one; Elixir DynamicSupervisor add_restart).
    [Test]
    public async Task dynamic_supervisor_gives_up_after_max_restarts_and_stops_its_other_children()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions
        {
            Name = "dyn",
            MaxRestarts = 2,
            Period = TimeSpan.FromSeconds(5),
            TimeProvider = clock,
        }));
        await sup.StartChildAsync(children.Spec("a"));
        await sup.StartChildAsync(children.Spec("b"));

        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 2);
        await children.CrashAsync("a");
        await children.Log.WaitForAsync("start:a", 3);
        await sup.WhichChildrenAsync();
        sup.HasExited.Should().BeFalse("two restarts are allowed");

        await children.CrashAsync("b");

        var reason = await sup.Completion.WaitAsync(Wait);
        reason.IsRestartIntensityExceeded.Should().BeTrue();
        var exceeded = reason.Exception.Should().BeOfType<RestartIntensityExceededException>().Subject;
        exceeded.ChildId.Should().Be("b");
        exceeded.Supervisor.Should().Be("dyn");
        children.Log.Count("start:b").Should().Be(1);
        (await children["a"].Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        children.Log.Events.Should().EndWith("stop:a:shutdown");
    }

    // OTP: the window slides for a dynamic supervisor too (Elixir DynamicSupervisor add_restart/3).
    [Test]
    public async Task dynamic_supervisor_window_slides()
    {
        var clock = new FakeTimeProvider();
        var children = new TestChildren(new EventLog());
        var sup = _cleanup.Track(await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions
        {
            MaxRestarts = 1,
            Period = TimeSpan.FromSeconds(1),
            TimeProvider = clock,
        }));
        await sup.StartChildAsync(children.Spec("a"));

        for (var i = 1; i <= 4; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(2.1));
            await children.CrashAsync("a");
            await children.Log.WaitForAsync("start:a", i + 1);
        }

        await sup.WhichChildrenAsync();
        sup.HasExited.Should().BeFalse();
        await StopAsync(sup);
    }

    private static async Task StopAsync(IProcess sup)
    {
        sup.Stop();
        (await sup.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
    }

    private async Task<Supervisor> StartAsync(FakeTimeProvider clock, int maxRestarts, TimeSpan period, TestChildren children, params string[] ids) =>
        _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { Name = "sup", MaxRestarts = maxRestarts, Period = period, TimeProvider = clock },
            ids.Select(id => children.Spec(id))));
}
