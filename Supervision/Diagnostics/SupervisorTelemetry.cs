using System.Diagnostics;

namespace Supervision;

/// <summary>
/// One supervisor's metrics (<see cref="SupervisionMetrics"/>) and traces (<see cref="SupervisionActivities"/>).
/// Every activity method returns null, and allocates nothing, when nobody listens. Called on the
/// supervisor's loop, except <see cref="ChildUp"/> and <see cref="ChildDown"/> (any thread).
/// </summary>
internal sealed class SupervisorTelemetry(string supervisor)
{
    private const string SupervisorKey = "supervision.supervisor";
    private const string ChildIdKey = "supervision.child.id";
    private const string OutcomeKey = "supervision.child.outcome";
    private const string ExitKindKey = "supervision.exit.kind";
    private const string RetryKey = "supervision.restart.retry";

    private readonly KeyValuePair<string, object?> _supervisorTag = SupervisionMetrics.Tag(supervisor);
    private readonly ChildMetricTags _childTags = new();

    /// <summary>This supervisor's share of <c>supervision.children.active</c>.</summary>
    private readonly System.Runtime.CompilerServices.StrongBox<long> _active = SupervisionMetrics.ActiveChildren.For(supervisor);

    public void ChildUp() => Interlocked.Increment(ref _active.Value);

    public void ChildDown() => Interlocked.Decrement(ref _active.Value);

    public void ShutdownError() => SupervisionMetrics.ShutdownErrors.Add(1, _supervisorTag);

    public void Crash(ChildRecord child) => SupervisionMetrics.Crashes.Add(1, _supervisorTag, _childTags.For(child.Spec.Id));

    public void Restart(ChildRecord child) => SupervisionMetrics.Restarts.Add(1, _supervisorTag, _childTags.For(child.Spec.Id));

    /// <summary>Starts a child start's activity; the caller ends it. Its outcome is <c>cancelled</c> until it completes or fails: a start left any other way was cancelled.</summary>
    public Activity? StartChildStart(ChildRecord child) =>
        Start(SupervisionActivities.ChildStart, child)?.SetTag(OutcomeKey, "cancelled");

    public static void ChildStarted(Activity? activity, IProcess? process) =>
        activity?.SetTag(OutcomeKey, process is null ? "ignored" : "started");

    public static void ChildStartFailed(Activity? activity, Exception exception) =>
        activity?.SetTag(OutcomeKey, "failed").SetStatus(ActivityStatusCode.Error, exception.Message).AddException(exception);

    /// <summary>Starts the activity of an exit's handling: on the loop, with no ambient activity, so the root of its trace.</summary>
    public Activity? StartChildExit(ChildRecord child, ExitReason reason)
    {
        var activity = Start(SupervisionActivities.ChildExit, child);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ExitKindKey, KindText(reason.Kind));
            if (reason.IsAbnormal)
            {
                activity.SetStatus(ActivityStatusCode.Error, KindText(reason.Kind));
                if (reason.Exception is { } exception)
                {
                    activity.AddException(exception);
                }
            }
        }

        return activity;
    }

    /// <summary>Starts a restart's activity: a child of the exit's, or the root of its own trace for a retry.</summary>
    public Activity? StartRestart(ChildRecord child, bool retry)
    {
        var activity = Start(SupervisionActivities.ChildRestart, child);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(RetryKey, retry);
        }

        return activity;
    }

    public static void Restarted(Activity? activity, ChildRecord? failed)
    {
        if (activity is not null && failed is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, $"{failed.Spec.Id} failed to start; another attempt follows");
        }
    }

    public void GaveUp(ChildRecord child, ExitReason reason)
    {
        SupervisionMetrics.GaveUp.Add(1, _supervisorTag);
        using var activity = Start(SupervisionActivities.GaveUp, child);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ExitKindKey, KindText(reason.Kind)).SetStatus(ActivityStatusCode.Error, "reached_max_restart_intensity");
        }
    }

    private static string KindText(ExitKind kind) => kind switch
    {
        ExitKind.Normal => "normal",
        ExitKind.Shutdown => "shutdown",
        ExitKind.Killed => "killed",
        _ => "failure",
    };

    private Activity? Start(string name, ChildRecord child)
    {
        var activity = SupervisionActivities.Source.StartActivity(name);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SupervisorKey, supervisor).SetTag(ChildIdKey, child.Spec.Id);
        }

        return activity;
    }
}
