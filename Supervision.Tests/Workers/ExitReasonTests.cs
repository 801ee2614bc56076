namespace Supervision.Tests.Workers;

public class ExitReasonTests
{
    [Test]
    public void Normal_is_not_abnormal_and_prints_as_normal()
    {
        ExitReason.Normal.Kind.Should().Be(ExitKind.Normal);
        ExitReason.Normal.IsAbnormal.Should().BeFalse();
        ExitReason.Normal.ToString().Should().Be("normal");
        ExitReason.Normal.Exception.Should().BeNull();
        ExitReason.Normal.Detail.Should().BeNull();
    }

    [Test]
    public void Shutdown_is_not_abnormal_and_prints_as_shutdown()
    {
        ExitReason.Shutdown.Kind.Should().Be(ExitKind.Shutdown);
        ExitReason.Shutdown.IsAbnormal.Should().BeFalse();
        ExitReason.Shutdown.ToString().Should().Be("shutdown");
        ExitReason.Shutdown.Detail.Should().BeNull();
    }

    // OTP's {shutdown, Term} is treated exactly like shutdown.
    [Test]
    public void Shutdown_with_a_detail_is_a_shutdown_that_is_not_abnormal()
    {
        var reason = ExitReason.ShutdownWith("rotate");

        reason.Kind.Should().Be(ExitKind.Shutdown);
        reason.IsAbnormal.Should().BeFalse();
        reason.Detail.Should().Be("rotate");
        reason.Exception.Should().BeNull();
        reason.ToString().Should().Be("{shutdown, rotate}");
        reason.Should().NotBe(ExitReason.Shutdown);
    }

    [Test]
    public void Killed_is_abnormal_and_prints_as_killed()
    {
        ExitReason.Killed.Kind.Should().Be(ExitKind.Killed);
        ExitReason.Killed.IsAbnormal.Should().BeTrue();
        ExitReason.Killed.ToString().Should().Be("killed");
    }

    [Test]
    public void Failure_is_abnormal_carries_its_exception_and_prints_type_and_message()
    {
        var boom = new InvalidOperationException("boom");

        var reason = ExitReason.Failure(boom);

        reason.Kind.Should().Be(ExitKind.Failure);
        reason.IsAbnormal.Should().BeTrue();
        reason.Exception.Should().BeSameAs(boom);
        reason.Detail.Should().BeNull();
        reason.ToString().Should().Be("failure(InvalidOperationException: boom)");
    }

    [Test]
    public void Failure_and_shutdown_with_detail_require_a_value()
    {
        var failure = () => ExitReason.Failure(null!);
        var shutdown = () => ExitReason.ShutdownWith(null!);

        failure.Should().Throw<ArgumentNullException>();
        shutdown.Should().Throw<ArgumentNullException>();
    }
}
