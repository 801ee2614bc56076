namespace Supervision.Tests.Dynamic;

/// <summary>
/// Stops a process when a test leaves its scope (<c>await using</c>), so every supervisor a test
/// starts is stopped even when an assertion fails. Stopping an exited process is harmless.
/// </summary>
public readonly struct ProcessGuard(IProcess process) : IAsyncDisposable
{
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);

    public async ValueTask DisposeAsync()
    {
        process.Stop();
        await process.Completion.WaitAsync(StopWait);
    }
}

public static class ProcessGuardExtensions
{
    /// <summary>Stops <paramref name="process"/> at the end of the enclosing <c>await using</c>.</summary>
    public static ProcessGuard Guard(this IProcess process) => new(process);

    /// <summary>A supervisor name no other test uses, so metrics and logs can be told apart.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
