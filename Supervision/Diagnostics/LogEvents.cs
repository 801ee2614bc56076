namespace Supervision;

/// <summary>
/// The event ids of the library's log lines (<see cref="SupervisorLog"/>, <see cref="WorkerLog"/>, <see cref="HostLog"/>),
/// named once for their <c>[LoggerMessage]</c> attributes and for the tests that look for one event.
/// docs/supervision.md (Observability) lists them for users.
/// </summary>
internal static class LogEvents
{
    public const int ChildStarted = 1;
    public const int DynamicChildStarted = 2;
    public const int ChildTerminated = 3;
    public const int ChildExited = 4;
    public const int ChildRestarting = 5;
    public const int StartError = 6;
    public const int ShutdownError = 7;
    public const int GaveUp = 8;
    public const int AutoShutdown = 9;
    public const int RootExited = 10;
    public const int StopOverran = 11;
    public const int RootStopped = 12;
    public const int TerminateCrashed = 20;
    public const int OnKilledCrashed = 21;
}
