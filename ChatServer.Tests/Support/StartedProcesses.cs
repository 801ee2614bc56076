using Supervision;

namespace ChatServer.Tests.Support;

/// <summary>The workers a test started on their own (rooms, presence, fake members), stopped together when it ends.</summary>
public sealed class StartedProcesses
{
    private readonly List<IProcess> _processes = [];

    /// <summary>Keeps <paramref name="process"/> to stop at the end; returns it.</summary>
    public T Track<T>(T process)
        where T : IProcess
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>Stops every process kept and waits for all of them, failing after <paramref name="wait"/>.</summary>
    public async Task StopAllAsync(TimeSpan wait)
    {
        foreach (var process in _processes)
        {
            process.Stop();
        }

        await Task.WhenAll(_processes.Select(p => p.Completion)).WaitAsync(wait);
        _processes.Clear();
    }
}
