using System.Diagnostics;

namespace Supervision;

/// <summary>
/// Traces under the activity source <c>Supervision</c>: a supervisor's child starts, child exits,
/// restarts and giving up, for OpenTelemetry (<c>AddSource(SupervisionActivities.SourceName)</c>) or an
/// <see cref="ActivityListener"/>. Nothing is allocated when nobody listens. Activities started on a
/// supervisor's own loop (an exit and what follows it) are roots of their own traces; a child start
/// asked for by a call (<c>StartChildAsync</c>) is a child of the caller's current activity, and the
/// starts of a supervisor's initial children are children of the activity current where it was started.
/// </summary>
public static class SupervisionActivities
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = "Supervision";

    /// <summary>
    /// One child start: the start function, name registration and watching the process. Tags
    /// <c>supervision.supervisor</c>, <c>supervision.child.id</c> and <c>supervision.child.outcome</c>
    /// (<c>started</c>, <c>ignored</c> when the start function returned null, <c>failed</c> with an
    /// exception event and error status, or <c>cancelled</c> when the supervisor's own start was cancelled or it was killed).
    /// </summary>
    public const string ChildStart = "supervision.child.start";

    /// <summary>
    /// The supervisor's handling of one child exit: the restart decision and, when the child is
    /// restarted, the restart. Tags <c>supervision.supervisor</c>, <c>supervision.child.id</c> and
    /// <c>supervision.exit.kind</c> (<c>normal</c>, <c>shutdown</c>, <c>killed</c> or <c>failure</c>);
    /// an abnormal exit sets error status, and a crash adds the exception as an event.
    /// </summary>
    public const string ChildExit = "supervision.child.exit";

    /// <summary>
    /// One restart by the supervisor's strategy (a group restart is one activity, with a start
    /// activity per child). Tags <c>supervision.supervisor</c>, <c>supervision.child.id</c> (the child
    /// whose exit caused it) and <c>supervision.restart.retry</c> (true for another attempt after a
    /// failed restart); error status when a start failed and another attempt is scheduled.
    /// </summary>
    public const string ChildRestart = "supervision.child.restart";

    /// <summary>
    /// The supervisor reached its restart intensity and exits (OTP's <c>reached_max_restart_intensity</c>).
    /// Tags <c>supervision.supervisor</c>, <c>supervision.child.id</c> and <c>supervision.exit.kind</c>
    /// of the exit that was one too many; error status.
    /// </summary>
    public const string GaveUp = "supervision.gave_up";

    internal static readonly ActivitySource Source = new(SourceName);
}
