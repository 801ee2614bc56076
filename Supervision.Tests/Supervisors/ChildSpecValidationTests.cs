using System.Reflection;
using Supervision.Tests.Support;

namespace Supervision.Tests.Supervisors;

/// <summary>OTP's <c>child_specs</c>, <c>child_specs_map</c>, <c>sup_flags</c> and <c>sup_start_map</c>: defaults and validation of specs and flags.</summary>
public class ChildSpecValidationTests : SupervisorTestBase
{
    private static readonly Func<CancellationToken, Task<IProcess?>> s_neverCalled =
        _ => throw new AssertionException("a spec that failed validation must not be started");

    private static ChildSpec Valid(string id = "child") => new() { Id = id, Start = s_neverCalled };

    // Child spec defaults: restart permanent, type worker, shutdown 5000 ms for a worker, significant false (OTP sup_start_map).
    [Test]
    public void Child_spec_defaults_are_permanent_worker_5s_shutdown_not_significant()
    {
        var spec = Valid();

        spec.Restart.Should().Be(RestartType.Permanent);
        spec.Type.Should().Be(ChildType.Worker);
        spec.Shutdown.Should().BeNull();
        spec.EffectiveShutdown.Should().Be(ShutdownPolicy.After(TimeSpan.FromSeconds(5)));
        spec.EffectiveShutdown.Kind.Should().Be(ShutdownKind.Timeout);
        spec.EffectiveShutdown.Timeout.Should().Be(TimeSpan.FromSeconds(5));
        spec.Significant.Should().BeFalse();
    }

    // A supervisor child's default shutdown is infinity (OTP sup_start_map: supervisor type gets infinity).
    [Test]
    public void Supervisor_child_default_shutdown_is_infinity()
    {
        var spec = Valid() with { Type = ChildType.Supervisor };

        spec.EffectiveShutdown.Should().Be(ShutdownPolicy.Infinity);
        ChildSpec.ForSupervisor("sub", new SupervisorOptions(), []).EffectiveShutdown.Should().Be(ShutdownPolicy.Infinity);
        ChildSpec.ForSupervisor("sub", new SupervisorOptions(), []).Type.Should().Be(ChildType.Supervisor);
    }

    // An explicit shutdown overrides the type's default, for workers and supervisors alike (OTP sup_stop_infinity: infinity allowed for workers).
    [Test]
    public void Explicit_shutdown_overrides_the_default()
    {
        (Valid() with { Shutdown = ShutdownPolicy.Infinity }).EffectiveShutdown.Should().Be(ShutdownPolicy.Infinity);
        (Valid() with { Shutdown = ShutdownPolicy.BrutalKill }).EffectiveShutdown.Should().Be(ShutdownPolicy.BrutalKill);
        (Valid() with { Type = ChildType.Supervisor, Shutdown = ShutdownPolicy.After(TimeSpan.Zero) })
            .EffectiveShutdown.Should().Be(ShutdownPolicy.After(TimeSpan.Zero));
    }

    // ForWorker fills the OTP defaults and keeps the restart type asked for (OTP sup_start_map).
    [Test]
    public void For_worker_builds_a_worker_spec_with_defaults()
    {
        var spec = ChildSpec.ForWorker("w", () => new TestChild("w", Log), RestartType.Transient);

        spec.Id.Should().Be("w");
        spec.Type.Should().Be(ChildType.Worker);
        spec.Restart.Should().Be(RestartType.Transient);
        spec.EffectiveShutdown.Should().Be(ShutdownPolicy.DefaultForWorker);
        spec.Significant.Should().BeFalse();
    }

    // Supervisor flag defaults: one_for_one, intensity 3 (Elixir's; OTP's is 1), period 5 s, auto_shutdown never (OTP sup_flags).
    [Test]
    public void Supervisor_options_defaults_are_one_for_one_3_restarts_in_5_s_never()
    {
        var options = new SupervisorOptions();

        options.Strategy.Should().Be(SupervisionStrategy.OneForOne);
        options.MaxRestarts.Should().Be(3);
        options.Period.Should().Be(TimeSpan.FromSeconds(5));
        options.AutoShutdown.Should().Be(Supervision.AutoShutdown.Never);
        options.Backoff.Should().BeNull();
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    // get_childspec returns the spec with its defaults filled in (OTP sup_start_map).
    [Test]
    public async Task Get_childspec_returns_the_spec_with_defaults()
    {
        var spec = Children.Spec("a");
        var sup = await StartSupervisorAsync(Options(), spec);

        var stored = await sup.GetChildSpecAsync("a");

        stored.Should().Be(spec);
        stored.Restart.Should().Be(RestartType.Permanent);
        stored.Type.Should().Be(ChildType.Worker);
        stored.EffectiveShutdown.Should().Be(ShutdownPolicy.DefaultForWorker);
        stored.Significant.Should().BeFalse();
    }

    // Every invalid child-spec field is rejected with its OTP tag (OTP child_specs, child_specs_map, sup_start_map_faulty_specs).
    [TestCase("", "missing_id")]
    [TestCase(null, "missing_id")]
    public void Missing_id_is_rejected(string? id, string tag)
    {
        var spec = Valid() with { Id = id! };

        FluentActions.Invoking(() => spec.Validate()).Should().Throw<ArgumentException>().WithMessage($"{tag}*");
    }

    // A spec without a start function is rejected (OTP missing_start).
    [Test]
    public void Missing_start_is_rejected()
    {
        var spec = Valid() with { Start = null! };

        FluentActions.Invoking(() => spec.Validate()).Should().Throw<ArgumentException>().WithMessage("missing_start*");
    }

    // An undefined restart type is rejected (OTP {invalid_restart_type, X}).
    [Test]
    public void Invalid_restart_type_is_rejected()
    {
        var spec = Valid() with { Restart = (RestartType)42 };

        FluentActions.Invoking(() => spec.Validate()).Should().Throw<ArgumentException>().WithMessage("invalid_restart_type*");
    }

    // An undefined child type is rejected (OTP {invalid_child_type, X}).
    [Test]
    public void Invalid_child_type_is_rejected()
    {
        var spec = Valid() with { Type = (ChildType)42 };

        FluentActions.Invoking(() => spec.Validate()).Should().Throw<ArgumentException>().WithMessage("invalid_child_type*");
    }

    // A negative shutdown timeout is rejected (OTP {invalid_shutdown, -10}).
    [Test]
    public void Negative_shutdown_is_rejected()
    {
        FluentActions.Invoking(() => ShutdownPolicy.After(TimeSpan.FromMilliseconds(-10)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("invalid_shutdown*");
    }

    // A shutdown of an undefined kind (only reachable by reflection) is rejected (OTP {invalid_shutdown, X}).
    [Test]
    public void Invalid_shutdown_kind_is_rejected()
    {
        var constructor = typeof(ShutdownPolicy).GetConstructor(
            BindingFlags.Instance | BindingFlags.NonPublic, [typeof(ShutdownKind), typeof(TimeSpan)]);
        constructor.Should().NotBeNull();
        var invalid = (ShutdownPolicy)constructor!.Invoke([(ShutdownKind)42, TimeSpan.Zero]);
        var spec = Valid() with { Shutdown = invalid };

        FluentActions.Invoking(() => spec.Validate()).Should().Throw<ArgumentException>().WithMessage("invalid_shutdown*");
    }

    // significant together with permanent is a bad combination, whatever the auto-shutdown (OTP child_specs_map bad_combination [{restart,permanent},{significant,true}]).
    [TestCase(Supervision.AutoShutdown.Never)]
    [TestCase(Supervision.AutoShutdown.AnySignificant)]
    [TestCase(Supervision.AutoShutdown.AllSignificant)]
    public void Significant_permanent_child_is_a_bad_combination(Supervision.AutoShutdown autoShutdown)
    {
        var spec = Valid() with { Restart = RestartType.Permanent, Significant = true };

        FluentActions.Invoking(() => spec.Validate(autoShutdown)).Should().Throw<ArgumentException>().WithMessage("bad_combination*permanent*");
    }

    // A significant child under auto_shutdown never is a bad combination (OTP bad_combination [{auto_shutdown,never},{significant,true}]).
    [TestCase(RestartType.Transient)]
    [TestCase(RestartType.Temporary)]
    public void Significant_child_under_auto_shutdown_never_is_a_bad_combination(RestartType restart)
    {
        var spec = Valid() with { Restart = restart, Significant = true };

        FluentActions.Invoking(() => spec.Validate(Supervision.AutoShutdown.Never)).Should().Throw<ArgumentException>().WithMessage("bad_combination*never*");
    }

    // Every combination of valid values is accepted, except the two bad combinations (OTP child_specs_map, cross product of valid values).
    [Test]
    [Combinatorial]
    public void Cross_product_of_valid_values_is_accepted(
        [Values] RestartType restart,
        [Values] ChildType type,
        [Values] ShutdownKind shutdown,
        [Values] bool significant,
        [Values] Supervision.AutoShutdown autoShutdown)
    {
        var spec = Valid() with
        {
            Restart = restart,
            Type = type,
            Significant = significant,
            Shutdown = shutdown switch
            {
                ShutdownKind.BrutalKill => ShutdownPolicy.BrutalKill,
                ShutdownKind.Infinity => ShutdownPolicy.Infinity,
                _ => ShutdownPolicy.After(TimeSpan.FromMilliseconds(10)),
            },
        };
        var badCombination = significant && (restart == RestartType.Permanent || autoShutdown == Supervision.AutoShutdown.Never);

        var validate = FluentActions.Invoking(() => spec.Validate(autoShutdown));

        if (badCombination)
        {
            validate.Should().Throw<ArgumentException>().WithMessage("bad_combination*");
        }
        else
        {
            validate.Should().NotThrow();
        }
    }

    // Invalid specs make start_link fail before any child is started (OTP {error, {start_spec, Err}}).
    [Test]
    public async Task Supervisor_start_rejects_an_invalid_spec_before_starting_anything()
    {
        var bad = Children.Spec("b") with { Restart = (RestartType)42 };

        await FluentActions.Awaiting(() => Supervisor.StartAsync(Options(), [Children.Spec("a"), bad]))
            .Should().ThrowAsync<ArgumentException>().WithMessage("invalid_restart_type*");
        Log.Events.Should().BeEmpty();
    }

    // A significant child under a supervisor whose auto-shutdown is never is refused at start_link and at start_child (OTP child_specs_map, significant_upgrade_*_never).
    [Test]
    public async Task Supervisor_refuses_significant_children_when_auto_shutdown_is_never()
    {
        var significant = Children.Spec("s", RestartType.Transient, significant: true);

        await FluentActions.Awaiting(() => Supervisor.StartAsync(Options(), [Children.Spec("a"), significant]))
            .Should().ThrowAsync<ArgumentException>().WithMessage("bad_combination*");
        Log.Events.Should().BeEmpty();

        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"));
        await FluentActions.Awaiting(() => sup.StartChildAsync(significant))
            .Should().ThrowAsync<ArgumentException>().WithMessage("bad_combination*");
        (await sup.WhichChildrenAsync()).Select(c => c.Id).Should().Equal("a");
    }

    // The same significant child is accepted under auto_shutdown any_significant (OTP child_specs_map valid combination).
    [Test]
    public async Task Supervisor_accepts_significant_children_when_auto_shutdown_is_set()
    {
        var sup = await StartSupervisorAsync(
            Options() with { AutoShutdown = Supervision.AutoShutdown.AnySignificant },
            Children.Spec("a"),
            Children.Spec("s", RestartType.Transient, significant: true));

        (await sup.GetChildSpecAsync("s")).Significant.Should().BeTrue();
    }

    // start_child validates the spec and stores nothing when it is invalid (OTP start_child -> {error, Reason} for a bad spec).
    [Test]
    public async Task Start_child_rejects_an_invalid_spec()
    {
        var sup = await StartSupervisorAsync(Options());

        await FluentActions.Awaiting(() => sup.StartChildAsync(Children.Spec("x") with { Type = (ChildType)7 }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("invalid_child_type*");
        (await sup.WhichChildrenAsync()).Should().BeEmpty();
        Log.Events.Should().BeEmpty();
    }

    // Two specs with the same id are rejected at start_link, before anything starts (OTP child_specs: duplicate_child_name).
    [Test]
    public async Task Duplicate_child_ids_are_rejected_at_start()
    {
        var start = await FluentActions.Awaiting(() => Supervisor.StartAsync(Options(), [Children.Spec("a"), Children.Spec("b"), Children.Spec("a")]))
            .Should().ThrowAsync<ArgumentException>().WithMessage("duplicate_child_name*");

        start.Which.Message.Should().Contain("a");
        Log.Events.Should().BeEmpty();
    }

    // A child added with an id already in use is refused: already_started if running (OTP child_adm, checklist 5).
    [Test]
    public async Task Duplicate_child_id_is_rejected_at_start_child()
    {
        var sup = await StartSupervisorAsync(Options(), Children.Spec("a"));

        var duplicate = await FluentActions.Awaiting(() => sup.StartChildAsync(Children.Spec("a")))
            .Should().ThrowAsync<SupervisorException>();

        duplicate.Which.Error.Should().Be(SupervisorError.AlreadyStarted);
        Log.Count("start:a").Should().Be(1);
    }

    // Each invalid flag is rejected with its OTP tag (OTP sup_flags: invalid_strategy, invalid_intensity, invalid_period, invalid_auto_shutdown).
    [TestCaseSource(nameof(InvalidOptions))]
    public async Task Invalid_supervisor_flags_are_rejected(SupervisorOptions options, string tag)
    {
        FluentActions.Invoking(options.Validate).Should().Throw<ArgumentException>().WithMessage($"{tag}*");
        await FluentActions.Awaiting(() => Supervisor.StartAsync(options, [Children.Spec("a")]))
            .Should().ThrowAsync<ArgumentException>().WithMessage($"{tag}*");
        Log.Events.Should().BeEmpty();
    }

    // Intensity 0 and any positive period are valid flags (OTP sup_flags: integer >= 0, period > 0).
    [TestCase(0, 1)]
    [TestCase(1, 1)]
    [TestCase(int.MaxValue, 3600)]
    public void Valid_intensity_and_period_are_accepted(int maxRestarts, int periodSeconds)
    {
        var options = new SupervisorOptions { MaxRestarts = maxRestarts, Period = TimeSpan.FromSeconds(periodSeconds) };

        FluentActions.Invoking(options.Validate).Should().NotThrow();
    }

    private static IEnumerable<TestCaseData> InvalidOptions()
    {
        yield return new TestCaseData(new SupervisorOptions { Strategy = (SupervisionStrategy)42 }, "invalid_strategy").SetArgDisplayNames("strategy");
        yield return new TestCaseData(new SupervisorOptions { MaxRestarts = -1 }, "invalid_intensity").SetArgDisplayNames("negative_intensity");
        yield return new TestCaseData(new SupervisorOptions { Period = TimeSpan.Zero }, "invalid_period").SetArgDisplayNames("zero_period");
        yield return new TestCaseData(new SupervisorOptions { Period = TimeSpan.FromSeconds(-1) }, "invalid_period").SetArgDisplayNames("negative_period");
        yield return new TestCaseData(new SupervisorOptions { AutoShutdown = (Supervision.AutoShutdown)42 }, "invalid_auto_shutdown").SetArgDisplayNames("auto_shutdown");
    }
}
