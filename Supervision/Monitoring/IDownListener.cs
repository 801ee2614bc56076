namespace Supervision;

/// <summary>
/// A watcher that takes down notices itself, with the state it gave when it placed the monitor, so a
/// monitor costs one <see cref="MonitorRef"/> and no delegate or closure (a room watching 10,000 clients).
/// </summary>
internal interface IDownListener
{
    /// <summary>The monitored process exited. Runs on the exiting process's thread; must not block.</summary>
    void OnDown(ProcessDown down, object state);
}
