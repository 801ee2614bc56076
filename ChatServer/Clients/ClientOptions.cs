namespace ChatServer.Clients;

/// <summary>The part of the server options a client worker needs.</summary>
/// <param name="MaxLineBytes">The longest input line.</param>
/// <param name="MaxSendQueueBytes">The most bytes queued for the client before it is disconnected.</param>
/// <param name="ShutdownFlushTimeout">How long a stopping client may flush what is queued.</param>
/// <param name="EnableFaultInjection">Whether <c>/crash</c> crashes the worker.</param>
public sealed record ClientOptions(int MaxLineBytes, int MaxSendQueueBytes, TimeSpan ShutdownFlushTimeout, bool EnableFaultInjection)
{
    /// <summary>How many input lines the reader may queue ahead of the worker (the <c>active: once</c> idea, with a small window).</summary>
    public int ReadAhead { get; init; } = 8;
}
