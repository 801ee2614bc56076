using Microsoft.Extensions.Logging;

namespace Supervision;

/// <summary>What the Generic Host integration reports about a tree, besides <see cref="SupervisorLog.RootExited"/>. Event ids continue <see cref="SupervisorLog"/>'s.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = LogEvents.StopOverran, Level = LogLevel.Warning, Message = "{Supervisor}: the graceful stop overran the host's shutdown timeout; killing the tree")]
    public static partial void StopOverran(ILogger logger, string supervisor);

    [LoggerMessage(EventId = LogEvents.RootStopped, Level = LogLevel.Information, Message = "{Supervisor}: root supervisor stopped on its own ({Reason}); stopping the application")]
    public static partial void RootStopped(ILogger logger, string supervisor, ExitReason reason);
}
