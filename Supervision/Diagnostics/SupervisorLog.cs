using Microsoft.Extensions.Logging;

namespace Supervision;

/// <summary>
/// Supervisor reports with stable event ids, after OTP's <c>SUPERVISOR REPORT</c> contexts
/// (<c>start_error</c>, <c>child_terminated</c>, <c>shutdown_error</c>, <c>shutdown</c>) and progress reports.
/// </summary>
internal static partial class SupervisorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Supervisor}: started child {ChildId} {Process}")]
    public static partial void ChildStarted(ILogger logger, string supervisor, string childId, ProcessId process);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Supervisor}: started dynamic child {ChildId} {Process}")]
    public static partial void DynamicChildStarted(ILogger logger, string supervisor, string childId, ProcessId process);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{Supervisor}: child_terminated {ChildId} {Process} ({Restart}): {Reason}")]
    public static partial void ChildTerminated(ILogger logger, string supervisor, string childId, ProcessId process, RestartType restart, ExitReason reason, Exception? exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "{Supervisor}: child {ChildId} {Process} exited: {Reason}")]
    public static partial void ChildExited(ILogger logger, string supervisor, string childId, ProcessId process, ExitReason reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{Supervisor}: restarting child {ChildId} (restart {RestartCount})")]
    public static partial void ChildRestarting(ILogger logger, string supervisor, string childId, int restartCount);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "{Supervisor}: start_error {ChildId}")]
    public static partial void StartError(ILogger logger, string supervisor, string childId, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "{Supervisor}: shutdown_error {ChildId} {Process}: {Reason}")]
    public static partial void ShutdownError(ILogger logger, string supervisor, string childId, ProcessId process, ExitReason reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Critical, Message = "{Supervisor}: reached_max_restart_intensity ({MaxRestarts} in {Period}); giving up after child {ChildId} exited: {Reason}")]
    public static partial void GaveUp(ILogger logger, string supervisor, int maxRestarts, TimeSpan period, string childId, ExitReason reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "{Supervisor}: auto_shutdown ({Mode}) after significant child {ChildId} exited")]
    public static partial void AutoShutdown(ILogger logger, string supervisor, AutoShutdown mode, string childId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Critical, Message = "{Supervisor}: root supervisor exited: {Reason}")]
    public static partial void RootExited(ILogger logger, string supervisor, ExitReason reason, Exception? exception);
}
