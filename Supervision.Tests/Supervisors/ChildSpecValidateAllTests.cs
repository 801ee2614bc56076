namespace Supervision.Tests.Supervisors;

/// <summary>
/// <see cref="ChildSpec.ValidateAll"/>, OTP's <c>check_childspecs/2</c>: every spec checked as by
/// <see cref="ChildSpec.Validate"/> under the given auto-shutdown, and no id twice
/// (<c>duplicate_child_name</c>); the first problem in list order is the one reported.
/// </summary>
public class ChildSpecValidateAllTests
{
    private static readonly Func<CancellationToken, Task<IProcess?>> s_neverCalled =
        _ => throw new AssertionException("validation must not start anything");

    private static ChildSpec Valid(string id) => new() { Id = id, Start = s_neverCalled };

    [Test]
    public void A_list_of_valid_specs_with_distinct_ids_is_accepted()
    {
        FluentActions.Invoking(() => ChildSpec.ValidateAll([Valid("a"), Valid("b"), Valid("c")])).Should().NotThrow();
        FluentActions.Invoking(() => ChildSpec.ValidateAll([])).Should().NotThrow();
    }

    // OTP check_childspecs: duplicate_child_name
    [Test]
    public void Two_specs_with_the_same_id_are_a_duplicate_child_name()
    {
        var validate = FluentActions.Invoking(() => ChildSpec.ValidateAll([Valid("a"), Valid("b"), Valid("a") with { Restart = RestartType.Temporary }]));

        validate.Should().Throw<ArgumentException>().WithMessage("duplicate_child_name: a*").Which.ParamName.Should().Be("specs");
    }

    // Ids are compared as OTP compares terms: exactly, so case matters.
    [Test]
    public void Ids_differing_only_in_case_are_distinct()
    {
        FluentActions.Invoking(() => ChildSpec.ValidateAll([Valid("a"), Valid("A")])).Should().NotThrow();
    }

    [Test]
    public void Each_spec_is_validated_and_the_first_problem_is_reported()
    {
        var validate = FluentActions.Invoking(() => ChildSpec.ValidateAll(
            [Valid("a"), Valid("b") with { Type = (ChildType)42 }, Valid("a"), Valid("c") with { Restart = (RestartType)42 }]));

        validate.Should().Throw<ArgumentException>().WithMessage("invalid_child_type*b*");
    }

    [Test]
    public void A_duplicate_before_an_invalid_spec_is_reported_first()
    {
        var validate = FluentActions.Invoking(() => ChildSpec.ValidateAll([Valid("a"), Valid("a"), Valid("b") with { Type = (ChildType)42 }]));

        validate.Should().Throw<ArgumentException>().WithMessage("duplicate_child_name*");
    }

    // The auto-shutdown is the supervisor's: a significant child is a bad combination only under never (OTP child_specs_map).
    [TestCase(AutoShutdown.Never, true)]
    [TestCase(AutoShutdown.AnySignificant, false)]
    [TestCase(AutoShutdown.AllSignificant, false)]
    public void Significant_children_are_checked_against_the_auto_shutdown_given(AutoShutdown autoShutdown, bool refused)
    {
        var validate = FluentActions.Invoking(() => ChildSpec.ValidateAll(
            [Valid("w"), Valid("job") with { Restart = RestartType.Transient, Significant = true }], autoShutdown));

        if (refused)
        {
            validate.Should().Throw<ArgumentException>().WithMessage("bad_combination*job*never*");
        }
        else
        {
            validate.Should().NotThrow();
        }
    }

    [Test]
    public void The_default_auto_shutdown_is_never()
    {
        FluentActions.Invoking(() => ChildSpec.ValidateAll([Valid("job") with { Restart = RestartType.Temporary, Significant = true }]))
            .Should().Throw<ArgumentException>().WithMessage("bad_combination*never*");
    }

    [Test]
    public void A_null_list_or_a_null_spec_is_refused()
    {
        FluentActions.Invoking(() => ChildSpec.ValidateAll(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => ChildSpec.ValidateAll([Valid("a"), null!])).Should().Throw<ArgumentNullException>();
    }
}
