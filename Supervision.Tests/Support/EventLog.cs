namespace Supervision.Tests.Support;

/// <summary>
/// A thread-safe, ordered record of what test processes did ("start:a", "stop:a:shutdown", ...).
/// Tests wait on it with a timeout; every append wakes the waiters, so nothing polls or sleeps.
/// </summary>
public sealed class EventLog
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly List<string> _events = [];
    private TaskCompletionSource _changed = NewSignal();

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return _events.ToArray();
            }
        }
    }

    public void Add(string entry)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _events.Add(entry);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    public int Count(string entry) => Events.Count(e => e == entry);

    /// <summary>Waits until <paramref name="condition"/> holds over the events; fails the test after the timeout.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (true)
        {
            Task changed;
            IReadOnlyList<string> snapshot;
            lock (_lock)
            {
                snapshot = _events.ToArray();
                changed = _changed.Task;
            }

            if (condition(snapshot))
            {
                return snapshot;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new AssertionException($"timed out waiting; events so far: [{string.Join(", ", snapshot)}]");
            }

            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    /// <summary>Waits until <paramref name="entry"/> has been recorded at least <paramref name="times"/> times.</summary>
    public Task<IReadOnlyList<string>> WaitForAsync(string entry, int times = 1, TimeSpan? timeout = null) =>
        WaitForAsync(events => events.Count(e => e == entry) >= times, timeout);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
