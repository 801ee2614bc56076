using Microsoft.Extensions.Logging;

namespace Supervision;

/// <summary>
/// Supervisor reports with stable event ids, after OTP's <c>SUPERVISOR REPORT</c> contexts
/// (<c>start_error</c>, <c>child_terminated</c>, <c>shutdown_error</c>, <c>shutdown</c>) and progress
/// reports. Error reports carry OTP's offender (child id, process, restart type, shutdown, child type,
/// significant) as named values of the log state, not only in the text.
/// </summary>
internal static partial class SupervisorLog
{
    [LoggerMessage(EventId = LogEvents.ChildStarted, Level = LogLevel.Information, Message = "{Supervisor}: started child {ChildId} {Process}")]
    public static partial void ChildStarted(ILogger logger, string supervisor, string childId, ProcessId process);

    [LoggerMessage(EventId = LogEvents.DynamicChildStarted, Level = LogLevel.Debug, Message = "{Supervisor}: started dynamic child {ChildId} {Process}")]
    public static partial void DynamicChildStarted(ILogger logger, string supervisor, string childId, ProcessId process);

    public static void ChildTerminated(ILogger logger, string supervisor, ChildRecord child, ProcessId process, ExitReason reason) =>
        ChildTerminated(logger, supervisor, child.Spec.Id, process, child.Spec.Restart, child.Spec.EffectiveShutdown, child.Spec.Type, child.Spec.Significant, reason, reason.Exception);

    [LoggerMessage(EventId = LogEvents.ChildExited, Level = LogLevel.Debug, Message = "{Supervisor}: child {ChildId} {Process} exited: {Reason}")]
    public static partial void ChildExited(ILogger logger, string supervisor, string childId, ProcessId process, ExitReason reason);

    [LoggerMessage(EventId = LogEvents.ChildRestarting, Level = LogLevel.Information, Message = "{Supervisor}: restarting child {ChildId} (restart {RestartCount})")]
    public static partial void ChildRestarting(ILogger logger, string supervisor, string childId, int restartCount);

    public static void StartError(ILogger logger, string supervisor, ChildRecord child, Exception exception) =>
        StartError(logger, supervisor, child.Spec.Id, child.Spec.Restart, child.Spec.EffectiveShutdown, child.Spec.Type, child.Spec.Significant, exception);

    public static void ShutdownError(ILogger logger, string supervisor, ChildRecord child, ProcessId process, ExitReason reason) =>
        ShutdownError(logger, supervisor, child.Spec.Id, process, child.Spec.Restart, child.Spec.EffectiveShutdown, child.Spec.Type, child.Spec.Significant, reason, reason.Exception);

    public static void GaveUp(ILogger logger, string supervisor, int maxRestarts, TimeSpan period, ChildRecord child, ExitReason reason) =>
        GaveUp(logger, supervisor, maxRestarts, period, child.Spec.Id, child.LastProcessId, child.Spec.Restart, child.Spec.EffectiveShutdown, child.Spec.Type, child.Spec.Significant, reason, reason.Exception);

    [LoggerMessage(EventId = LogEvents.AutoShutdown, Level = LogLevel.Information, Message = "{Supervisor}: auto_shutdown ({Mode}) after significant child {ChildId} exited")]
    public static partial void AutoShutdown(ILogger logger, string supervisor, AutoShutdown mode, string childId);

    [LoggerMessage(EventId = LogEvents.RootExited, Level = LogLevel.Critical, Message = "{Supervisor}: root supervisor exited: {Reason}")]
    public static partial void RootExited(ILogger logger, string supervisor, ExitReason reason, Exception? exception);

    [LoggerMessage(EventId = LogEvents.ChildTerminated, Level = LogLevel.Error, Message = "{Supervisor}: child_terminated {ChildId} {Process} (restart {Restart}, shutdown {Shutdown}, {ChildType}, significant {Significant}): {Reason}")]
    private static partial void ChildTerminated(ILogger logger, string supervisor, string childId, ProcessId process, RestartType restart, ShutdownPolicy shutdown, ChildType childType, bool significant, ExitReason reason, Exception? exception);

    [LoggerMessage(EventId = LogEvents.StartError, Level = LogLevel.Error, Message = "{Supervisor}: start_error {ChildId} (restart {Restart}, shutdown {Shutdown}, {ChildType}, significant {Significant})")]
    private static partial void StartError(ILogger logger, string supervisor, string childId, RestartType restart, ShutdownPolicy shutdown, ChildType childType, bool significant, Exception exception);

    [LoggerMessage(EventId = LogEvents.ShutdownError, Level = LogLevel.Error, Message = "{Supervisor}: shutdown_error {ChildId} {Process} (restart {Restart}, shutdown {Shutdown}, {ChildType}, significant {Significant}): {Reason}")]
    private static partial void ShutdownError(ILogger logger, string supervisor, string childId, ProcessId process, RestartType restart, ShutdownPolicy shutdown, ChildType childType, bool significant, ExitReason reason, Exception? exception);

    [LoggerMessage(EventId = LogEvents.GaveUp, Level = LogLevel.Critical, Message = "{Supervisor}: reached_max_restart_intensity ({MaxRestarts} in {Period}); giving up after child {ChildId} {Process} (restart {Restart}, shutdown {Shutdown}, {ChildType}, significant {Significant}) exited: {Reason}")]
    private static partial void GaveUp(ILogger logger, string supervisor, int maxRestarts, TimeSpan period, string childId, ProcessId? process, RestartType restart, ShutdownPolicy shutdown, ChildType childType, bool significant, ExitReason reason, Exception? exception);
}
