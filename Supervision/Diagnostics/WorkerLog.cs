using Microsoft.Extensions.Logging;

namespace Supervision;

/// <summary>What a worker reports about itself, after gen_server's own error reports. Event ids continue <see cref="SupervisorLog"/>'s.</summary>
internal static partial class WorkerLog
{
    public const string Category = "Supervision.Worker";

    [LoggerMessage(EventId = LogEvents.TerminateCrashed, Level = LogLevel.Error, Message = "{Worker} {Process}: terminate crashed while stopping with {Reason}; it exits with the crash")]
    public static partial void TerminateCrashed(ILogger logger, string worker, ProcessId process, ExitReason reason, Exception exception);

    [LoggerMessage(EventId = LogEvents.OnKilledCrashed, Level = LogLevel.Error, Message = "{Worker} {Process}: OnKilled threw while it was killed; the kill completed")]
    public static partial void OnKilledCrashed(ILogger logger, string worker, ProcessId process, Exception exception);
}
