namespace Supervision.Tests.Intensity;

/// <summary>
/// Stops, newest first, every process a test started, so that a failed assertion leaves nothing
/// running. Waits at most 10 s for each graceful stop, then kills.
/// </summary>
public sealed class ProcessCleanup
{
    private readonly Lock _lock = new();
    private readonly List<IProcess> _processes = [];

    public T Track<T>(T process)
        where T : IProcess
    {
        lock (_lock)
        {
            _processes.Add(process);
        }

        return process;
    }

    public async Task StopAllAsync()
    {
        IProcess[] processes;
        lock (_lock)
        {
            processes = _processes.ToArray();
            _processes.Clear();
        }

        for (var i = processes.Length - 1; i >= 0; i--)
        {
            var process = processes[i];
            process.Stop();
            try
            {
                await process.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                process.Kill();
            }
        }
    }
}
