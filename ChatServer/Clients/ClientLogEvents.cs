namespace ChatServer.Clients;

/// <summary>
/// The event ids of <see cref="ClientLog"/>'s lines, named once for its <c>[LoggerMessage]</c>
/// attributes and for the tests that look for one event. docs/operations.md lists them for operators.
/// </summary>
internal static class ClientLogEvents
{
    public const int Connected = 100;
    public const int Disconnected = 101;
    public const int Crashed = 102;
    public const int SendQueueExceeded = 103;
    public const int Renamed = 104;
    public const int SlowDown = 105;
    public const int Flooding = 106;
    public const int IdleTimeout = 107;
    public const int LineTooLong = 108;
    public const int WrongProtocol = 109;
}
