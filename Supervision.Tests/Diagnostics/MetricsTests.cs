using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Supervision.Tests.Dynamic;
using Supervision.Tests.Support;

namespace Supervision.Tests.Diagnostics;

public class MetricsTests
{
    [Test]
    public void the_meter_is_named_supervision()
    {
        SupervisionMetrics.MeterName.Should().Be("Supervision");
    }

    [Test]
    public async Task a_crash_adds_one_crash_and_one_restart()
    {
        var name = TestNames.Unique("metrics");
        using var crashes = new MetricInstrument("supervision.crashes", name);
        using var restarts = new MetricInstrument("supervision.restarts", name);
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name }, [children.Spec("a"), children.Spec("b")]);
        await using var guard = sup.Guard();
        crashes.Values.Should().BeEmpty();
        restarts.Values.Should().BeEmpty();

        await children.CrashAsync("a");
        await sup.CountChildrenAsync();

        crashes.Values.Should().Equal(1);
        restarts.Values.Should().Equal(1);
    }

    [Test]
    public async Task restarts_and_crashes_are_tagged_with_supervisor_and_child()
    {
        var name = TestNames.Unique("metrics");
        using var restarts = new MetricCollector<long>(null, SupervisionMetrics.MeterName, "supervision.restarts");
        using var crashes = new MetricCollector<long>(null, SupervisionMetrics.MeterName, "supervision.crashes");
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name }, [children.Spec("a"), children.Spec("b")]);
        await using var guard = sup.Guard();

        await children.CrashAsync("b");
        await sup.CountChildrenAsync();

        var expected = new Dictionary<string, object?> { ["supervisor"] = name, ["child"] = "b" };
        Mine(restarts, name).Should().ContainSingle().Which.Tags.Should().BeEquivalentTo(expected);
        Mine(crashes, name).Should().ContainSingle().Which.Tags.Should().BeEquivalentTo(expected);
    }

    [Test]
    public async Task dynamic_children_share_their_spec_id_as_the_child_tag()
    {
        var name = TestNames.Unique("metrics");
        using var restarts = new MetricCollector<long>(null, SupervisionMetrics.MeterName, "supervision.restarts");
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name });
        await using var guard = sup.Guard();
        var spec = children.Spec("worker");
        await sup.StartChildAsync(spec);
        var first = children["worker"];
        await sup.StartChildAsync(spec);
        var second = children["worker"];

        first.Tell(new TestChild.Crash());
        second.Tell(new TestChild.Crash());
        await first.Completion.WaitAsync(EventLog.DefaultWait);
        await second.Completion.WaitAsync(EventLog.DefaultWait);
        await sup.CountChildrenAsync();

        Mine(restarts, name).Select(m => m.Tags["child"]).Should().Equal("worker", "worker");
    }

    [Test]
    public async Task a_kill_counts_as_a_crash()
    {
        var name = TestNames.Unique("metrics");
        using var crashes = new MetricInstrument("supervision.crashes", name);
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name });
        await using var guard = sup.Guard();
        await sup.StartChildAsync(children.Spec("a"));

        await children.ExitAsync("a", ExitReason.Killed);
        await sup.CountChildrenAsync();

        crashes.Values.Should().Equal(1);
    }

    [Test]
    public async Task a_normal_exit_of_a_permanent_child_is_a_restart_but_not_a_crash()
    {
        var name = TestNames.Unique("metrics");
        using var crashes = new MetricInstrument("supervision.crashes", name);
        using var restarts = new MetricInstrument("supervision.restarts", name);
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name }, [children.Spec("a")]);
        await using var guard = sup.Guard();

        await children.ExitAsync("a", ExitReason.Normal);
        await sup.CountChildrenAsync();

        crashes.Values.Should().BeEmpty();
        restarts.Values.Should().Equal(1);
    }

    [Test]
    public async Task active_children_count_the_running_children_at_each_collection()
    {
        var name = TestNames.Unique("metrics");
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name });
        await using var guard = sup.Guard();

        var a = (TestChild)(await sup.StartChildAsync(children.Spec("a", RestartType.Temporary)))!;
        var b = (await sup.StartChildAsync(children.Spec("b")))!;
        await sup.StartChildAsync(children.Spec("c"));
        ActiveChildrenGauge.Of(name).Should().Be(3);

        await DynamicSupervisorRestartTests.ExitAsync(a, "normal");
        await sup.CountChildrenAsync();
        ActiveChildrenGauge.Of(name).Should().Be(2);

        await sup.TerminateChildAsync(b);
        ActiveChildrenGauge.Of(name).Should().Be(1);

        sup.Stop();
        await sup.Completion.WaitAsync(EventLog.DefaultWait);
        ActiveChildrenGauge.Of(name).Should().Be(0);
    }

    [Test]
    public async Task a_listener_that_starts_after_the_tree_sees_the_children_started_before_it()
    {
        var name = TestNames.Unique("metrics");
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name }, [children.Spec("a"), children.Spec("b")]);
        await using var guard = sup.Guard();

        // An exporter set up once the server runs: an up-down counter would have shown it 0.
        ActiveChildrenGauge.Of(name).Should().Be(2);
    }

    [Test]
    public async Task a_restart_replaces_the_active_child_so_the_count_stays_the_same()
    {
        var name = TestNames.Unique("metrics");
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name });
        await using var guard = sup.Guard();
        await sup.StartChildAsync(children.Spec("a"));

        await children.CrashAsync("a");
        await sup.CountChildrenAsync();

        ActiveChildrenGauge.Of(name).Should().Be(1);
    }

    [Test]
    public async Task an_ignored_start_is_not_an_active_child()
    {
        var name = TestNames.Unique("metrics");
        var children = new TestChildren(new EventLog());
        children.IgnoreNextStarts("a", 1);
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name });
        await using var guard = sup.Guard();

        (await sup.StartChildAsync(children.Spec("a"))).Should().BeNull();

        ActiveChildrenGauge.Of(name).GetValueOrDefault().Should().Be(0);
    }

    [Test]
    public async Task giving_up_is_recorded_when_intensity_is_exceeded()
    {
        var name = TestNames.Unique("metrics");
        using var gaveUp = new MetricInstrument("supervision.gave_up", name);
        using var restarts = new MetricInstrument("supervision.restarts", name);
        using var crashes = new MetricInstrument("supervision.crashes", name);
        var children = new TestChildren(new EventLog());
        var sup = await Supervisor.StartAsync(new SupervisorOptions { Name = name, MaxRestarts = 0 }, [children.Spec("a"), children.Spec("b")]);
        await using var guard = sup.Guard();

        await children.CrashAsync("a");
        (await sup.Completion.WaitAsync(EventLog.DefaultWait)).Exception.Should().BeOfType<RestartIntensityExceededException>();

        gaveUp.Values.Should().Equal(1);
        restarts.Values.Should().BeEmpty();
        crashes.Values.Should().Equal(1);
        ActiveChildrenGauge.Of(name).Should().Be(0, "the crashed child and the stopped bystander both left");
    }

    [Test]
    public async Task active_children_return_to_zero_when_the_supervisor_is_killed()
    {
        var name = TestNames.Unique("metrics");
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name });
        await using var guard = sup.Guard();
        var a = (await sup.StartChildAsync(children.Spec("a")))!;
        var b = (await sup.StartChildAsync(children.Spec("b")))!;

        sup.Kill();
        (await sup.Completion).Should().Be(ExitReason.Killed);
        (await a.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Killed);
        (await b.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Killed);

        ActiveChildrenGauge.Of(name).Should().Be(0, "a killed supervisor's children are killed too, so none is running");
    }

    [Test]
    public async Task measurements_are_tagged_with_the_supervisor_name_only()
    {
        var name = TestNames.Unique("metrics");
        using var collector = new MetricCollector<long>(null, SupervisionMetrics.MeterName, "supervision.children.active");
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = name });
        await using var guard = sup.Guard();

        await sup.StartChildAsync(children.Spec("a"));
        collector.RecordObservableInstruments();

        var mine = Mine(collector, name);
        mine.Should().ContainSingle().Which.Tags.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, object?>("supervisor", name));
    }

    private static List<CollectedMeasurement<long>> Mine(MetricCollector<long> collector, string supervisor) =>
        collector.GetMeasurementSnapshot().Where(m => m.Tags.TryGetValue("supervisor", out var tag) && Equals(tag, supervisor)).ToList();
}
