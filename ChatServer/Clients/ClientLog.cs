using System.Net;
using Microsoft.Extensions.Logging;
using Supervision;

namespace ChatServer.Clients;

/// <summary>One log line per connect, disconnect and crash, with the client's address and nick.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = ClientLogEvents.Connected, Level = LogLevel.Information, Message = "connect {Remote} as {Nick}")]
    public static partial void Connected(ILogger logger, EndPoint? remote, string nick);

    [LoggerMessage(EventId = ClientLogEvents.Disconnected, Level = LogLevel.Information, Message = "disconnect {Remote} {Nick}: {Reason}")]
    public static partial void Disconnected(ILogger logger, EndPoint? remote, string nick, string reason);

    [LoggerMessage(EventId = ClientLogEvents.Crashed, Level = LogLevel.Error, Message = "crash {Remote} {Nick}: {Reason}")]
    public static partial void Crashed(ILogger logger, EndPoint? remote, string nick, ExitReason reason, Exception? exception);

    [LoggerMessage(EventId = ClientLogEvents.SendQueueExceeded, Level = LogLevel.Warning, Message = "disconnecting {Remote} {Nick}: send queue exceeded ({Bytes} bytes, {Lines} lines queued; not reading)")]
    public static partial void SendQueueExceeded(ILogger logger, EndPoint? remote, string nick, long bytes, long lines);

    [LoggerMessage(EventId = ClientLogEvents.SlowDown, Level = LogLevel.Warning, Message = "{Remote} {Nick} is flooding: lines dropped")]
    public static partial void SlowDown(ILogger logger, EndPoint? remote, string nick);

    [LoggerMessage(EventId = ClientLogEvents.Flooding, Level = LogLevel.Warning, Message = "disconnecting {Remote} {Nick}: flooding ({Dropped} lines dropped in a row)")]
    public static partial void Flooding(ILogger logger, EndPoint? remote, string nick, int dropped);

    [LoggerMessage(EventId = ClientLogEvents.IdleTimeout, Level = LogLevel.Information, Message = "disconnecting {Remote} {Nick}: idle for {Timeout}")]
    public static partial void IdleTimeout(ILogger logger, EndPoint? remote, string nick, TimeSpan timeout);

    [LoggerMessage(EventId = ClientLogEvents.LineTooLong, Level = LogLevel.Warning, Message = "{Remote} {Nick} sent a line over {Limit} bytes; dropped")]
    public static partial void LineTooLong(ILogger logger, EndPoint? remote, string nick, int limit);

    [LoggerMessage(EventId = ClientLogEvents.WrongProtocol, Level = LogLevel.Warning, Message = "{Remote} speaks {Protocol}, not the chat protocol; closing")]
    public static partial void WrongProtocol(ILogger logger, EndPoint? remote, string protocol);

    [LoggerMessage(EventId = ClientLogEvents.Renamed, Level = LogLevel.Information, Message = "{Remote} is now known as {Nick} (was {Old})")]
    public static partial void Renamed(ILogger logger, EndPoint? remote, string nick, string old);
}
