namespace Supervision;

/// <summary>
/// Why a process exited. A closed set mirroring OTP: <see cref="Normal"/>, <see cref="Shutdown"/>
/// (optionally with a detail, OTP's <c>{shutdown, Term}</c>), <see cref="Killed"/> and
/// <see cref="Failure(Exception)"/>. Supervisors decide restarts from <see cref="IsAbnormal"/>.
/// </summary>
public sealed record ExitReason
{
    private ExitReason(ExitKind kind, Exception? exception, object? detail)
    {
        Kind = kind;
        Exception = exception;
        Detail = detail;
    }

    /// <summary>The process finished its work.</summary>
    public static ExitReason Normal { get; } = new(ExitKind.Normal, null, null);

    /// <summary>The process was asked to stop.</summary>
    public static ExitReason Shutdown { get; } = new(ExitKind.Shutdown, null, null);

    /// <summary>The process was stopped by force and ran no stop callback.</summary>
    public static ExitReason Killed { get; } = new(ExitKind.Killed, null, null);

    /// <summary>The class of this reason.</summary>
    public ExitKind Kind { get; }

    /// <summary>
    /// The exception of a <see cref="ExitKind.Failure"/>; for the plain shutdown of a supervisor that
    /// gave up, the <see cref="RestartIntensityExceededException"/> that says so (see
    /// <see cref="IsRestartIntensityExceeded"/>); otherwise <see langword="null"/>.
    /// </summary>
    public Exception? Exception { get; }

    /// <summary>The detail of a shutdown with detail (OTP <c>{shutdown, Term}</c>); otherwise <see langword="null"/>.</summary>
    public object? Detail { get; }

    /// <summary>
    /// True for every reason other than normal and shutdown (with or without detail): the reasons
    /// that restart a transient child, that are logged, and that a <c>call</c> reports as a crash.
    /// </summary>
    public bool IsAbnormal => Kind is ExitKind.Killed or ExitKind.Failure;

    /// <summary>
    /// True for the exit of a supervisor that reached its restart intensity: a plain shutdown, as in
    /// OTP (a transient parent does not restart it), whose <see cref="Exception"/> says why, so a host
    /// can tell giving up from a requested stop.
    /// </summary>
    public bool IsRestartIntensityExceeded => Kind == ExitKind.Shutdown && Exception is RestartIntensityExceededException;

    /// <summary>A shutdown that carries a detail, OTP's <c>{shutdown, Term}</c>: treated exactly like <see cref="Shutdown"/>.</summary>
    public static ExitReason ShutdownWith(object detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return new ExitReason(ExitKind.Shutdown, null, detail);
    }

    /// <summary>The exit of a supervisor that gave up: OTP's plain <c>shutdown</c>, carrying <paramref name="cause"/>.</summary>
    internal static ExitReason ReachedMaxRestartIntensity(RestartIntensityExceededException cause) => new(ExitKind.Shutdown, cause, null);

    /// <summary>A crash caused by <paramref name="exception"/>.</summary>
    public static ExitReason Failure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new ExitReason(ExitKind.Failure, exception, null);
    }

    /// <summary>OTP-style text: <c>normal</c>, <c>shutdown</c>, <c>{shutdown, detail}</c>, <c>killed</c>, <c>failure(Type: message)</c>.</summary>
    public override string ToString() => Kind switch
    {
        ExitKind.Normal => "normal",
        ExitKind.Shutdown when Exception is not null => $"shutdown ({Exception.Message})",
        ExitKind.Shutdown when Detail is null => "shutdown",
        ExitKind.Shutdown => $"{{shutdown, {Detail}}}",
        ExitKind.Killed => "killed",
        _ => $"failure({Exception!.GetType().Name}: {Exception.Message})",
    };
}
