namespace Supervision;

/// <summary>
/// The exit cause of a supervisor that gave up: more than MaxRestarts restarts within Period
/// (OTP's <c>reached_max_restart_intensity</c>). The supervisor exits with a plain shutdown, as in OTP,
/// that carries this exception as <see cref="ExitReason.Exception"/>
/// (<see cref="ExitReason.IsRestartIntensityExceeded"/>), so a host can tell giving up from an orderly stop.
/// </summary>
public sealed class RestartIntensityExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RestartIntensityExceededException(string supervisor, string childId, int maxRestarts, TimeSpan period, ExitReason lastReason)
        : base($"{supervisor}: reached_max_restart_intensity ({maxRestarts} restarts in {period.TotalSeconds:0.###} s); last offender {childId}: {lastReason}", lastReason.Exception)
    {
        Supervisor = supervisor;
        ChildId = childId;
        LastReason = lastReason;
    }

    /// <summary>The supervisor that gave up.</summary>
    public string Supervisor { get; }

    /// <summary>The child whose exit was one restart too many.</summary>
    public string ChildId { get; }

    /// <summary>That child's exit reason.</summary>
    public ExitReason LastReason { get; }
}
