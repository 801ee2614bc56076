using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ChatServer.Network;

/// <summary>The acceptor's log lines.</summary>
internal static partial class AcceptorLog
{
    [LoggerMessage(EventId = AcceptorLogEvents.Accepting, Level = LogLevel.Information, Message = "accepting {Protocol} connections on {EndPoint}")]
    public static partial void Accepting(ILogger logger, string protocol, EndPoint? endPoint);

    [LoggerMessage(EventId = AcceptorLogEvents.AcceptFailed, Level = LogLevel.Warning, Message = "accept failed ({Error}); retrying in {Delay}")]
    public static partial void AcceptFailed(ILogger logger, SocketError error, TimeSpan delay);

    [LoggerMessage(EventId = AcceptorLogEvents.Refused, Level = LogLevel.Warning, Message = "refused {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = AcceptorLogEvents.ClientStartFailed, Level = LogLevel.Information, Message = "client for {Remote} failed to start")]
    public static partial void ClientStartFailed(ILogger logger, EndPoint? remote, Exception exception);
}
