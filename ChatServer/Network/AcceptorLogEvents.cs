namespace ChatServer.Network;

/// <summary>
/// The event ids of <see cref="AcceptorLog"/>'s lines, named once for its <c>[LoggerMessage]</c>
/// attributes and for the tests that look for one event. docs/operations.md lists them for operators.
/// </summary>
internal static class AcceptorLogEvents
{
    public const int Accepting = 200;
    public const int AcceptFailed = 201;
    public const int Refused = 202;
    public const int ClientStartFailed = 203;
}
