using Supervision.Tests.Support;

namespace Supervision.Tests.Dynamic;

public class DynamicSupervisorOptionsTests
{
    // dynamic_supervisor_test.exs "init/1 set default options"
    [Test]
    public void defaults_are_three_restarts_in_five_seconds_and_no_child_limit()
    {
        var options = new DynamicSupervisorOptions();

        options.MaxRestarts.Should().Be(3);
        options.Period.Should().Be(TimeSpan.FromSeconds(5));
        options.MaxChildren.Should().BeNull();
        options.Backoff.Should().BeNull();
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
        options.LoggerFactory.Should().BeNull();
    }

    [Test]
    public async Task started_with_defaults_it_runs_with_no_children_and_describes_itself_as_dynamic()
    {
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();

        sup.HasExited.Should().BeFalse();
        sup.Description.Should().Be("dynamic");
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
        (await sup.WhichChildrenAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task description_names_the_child_limit()
    {
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { MaxChildren = 2 });
        await using var guard = sup.Guard();

        sup.Description.Should().Be("dynamic, max 2");
    }

    // dynamic_supervisor_test.exs "start_link/3 with non-ok init" (invalid_intensity, invalid_period, invalid_max_children)
    [TestCase(-1, 5000, null, "maxRestarts", "invalid_intensity")]
    [TestCase(3, 0, null, "period", "invalid_period")]
    [TestCase(3, -1, null, "period", "invalid_period")]
    [TestCase(3, 5000, -1, "MaxChildren", "invalid_max_children")]
    public async Task invalid_flags_are_refused_before_anything_starts(int maxRestarts, int periodMs, int? maxChildren, string parameter, string error)
    {
        var options = new DynamicSupervisorOptions
        {
            MaxRestarts = maxRestarts,
            Period = TimeSpan.FromMilliseconds(periodMs),
            MaxChildren = maxChildren,
        };

        options.Invoking(o => o.Validate()).Should().Throw<ArgumentOutOfRangeException>()
            .Which.ParamName.Should().Be(parameter);
        var start = () => DynamicSupervisor.StartAsync(options);
        (await start.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain(error);
    }

    [Test]
    public void zero_restarts_and_zero_children_are_valid_limits()
    {
        var options = new DynamicSupervisorOptions { MaxRestarts = 0, MaxChildren = 0 };

        options.Invoking(o => o.Validate()).Should().NotThrow();
    }

    [Test]
    public async Task an_invalid_backoff_is_refused()
    {
        var options = new DynamicSupervisorOptions { Backoff = new RestartBackoff { InitialDelay = TimeSpan.Zero } };

        var start = () => DynamicSupervisor.StartAsync(options);

        (await start.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("invalid_backoff");
    }

    [Test]
    public async Task null_options_are_refused()
    {
        var start = () => DynamicSupervisor.StartAsync(null!);

        await start.Should().ThrowAsync<ArgumentNullException>();
    }

    // dynamic_supervisor_test.exs "start_child/2 with invalid child spec"
    [Test]
    public async Task a_significant_child_is_refused_because_auto_shutdown_is_never()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();

        var start = () => sup.StartChildAsync(children.Spec("a", RestartType.Temporary, significant: true));

        (await start.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("bad_combination");
        children.Log.Events.Should().BeEmpty();
        (await sup.CountChildrenAsync()).Specs.Should().Be(0);
    }

    // dynamic_supervisor_test.exs "start_child/2 with invalid child spec"
    [Test]
    public async Task a_spec_with_an_undefined_restart_type_is_refused()
    {
        var children = new TestChildren(new EventLog());
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();

        var start = () => sup.StartChildAsync(children.Spec("a", (RestartType)42));

        (await start.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("invalid_restart_type");
        children.Log.Events.Should().BeEmpty();
    }

    // dynamic_supervisor_test.exs "start_child/2 with invalid valid shutdown"
    [Test]
    public void a_negative_shutdown_timeout_is_refused()
    {
        var policy = () => ShutdownPolicy.After(TimeSpan.FromMilliseconds(-1));

        policy.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("invalid_shutdown");
    }
}
