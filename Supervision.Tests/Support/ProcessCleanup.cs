namespace Supervision.Tests.Support;

/// <summary>
/// The tests' one cleanup helper: stops, newest first, every process a test started, so that a
/// failed assertion leaves nothing running. A fixture tracks what it starts and calls
/// <see cref="StopAllAsync"/> in its tear-down; a test can guard one process for its own scope
/// (<c>await using var guard = process.Guard();</c>). Each graceful stop may take
/// <see cref="StopWait"/>; a process still running then is killed, and the cleanup fails the test.
/// Stopping a process that has already exited is harmless.
/// </summary>
public sealed class ProcessCleanup : IAsyncDisposable
{
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly List<IProcess> _processes = [];

    /// <summary>Stops <paramref name="process"/> with the others; returns it.</summary>
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

        var killed = new List<IProcess>();
        for (var i = processes.Length - 1; i >= 0; i--)
        {
            var process = processes[i];
            process.Stop();
            try
            {
                await process.Completion.WaitAsync(StopWait);
            }
            catch (TimeoutException)
            {
                process.Kill();
                killed.Add(process);
            }
        }

        if (killed.Count > 0)
        {
            throw new AssertionException($"did not stop within {StopWait.TotalSeconds} s and were killed: {string.Join(", ", killed)}");
        }
    }

    public async ValueTask DisposeAsync() => await StopAllAsync();
}

public static class ProcessCleanupExtensions
{
    /// <summary>Stops <paramref name="process"/> at the end of the enclosing <c>await using</c>.</summary>
    public static ProcessCleanup Guard(this IProcess process)
    {
        var cleanup = new ProcessCleanup();
        cleanup.Track(process);
        return cleanup;
    }
}
