namespace Supervision;

/// <summary>A process of this library, which takes monitors with an <see cref="IDownListener"/> instead of a delegate.</summary>
internal interface IMonitorable
{
    /// <summary>Monitors this process for <paramref name="listener"/>; as <see cref="IProcess.Monitor"/> otherwise.</summary>
    MonitorRef Monitor(IDownListener listener, object state);
}
