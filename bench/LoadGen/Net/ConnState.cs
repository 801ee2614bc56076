namespace LoadGen.Net;

/// <summary>Where a connection is in its life; set by the connection and by the scenario's line handler.</summary>
internal enum ConnState
{
    Connecting,
    Registering,
    Ready,
    Quitting,
}
