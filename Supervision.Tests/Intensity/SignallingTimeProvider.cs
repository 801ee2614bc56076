using Microsoft.Extensions.Time.Testing;

namespace Supervision.Tests.Intensity;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer it creates and every timer that fires.
/// Polly creates its backoff timer asynchronously after an attempt fails; advancing the clock before
/// that timer exists would be lost, so a test waits for the timer first and only then advances.
/// </summary>
public sealed class SignallingTimeProvider : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _dueTimes = [];
    private int _fired;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>The due time of every timer created so far, in creation order.</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_lock)
            {
                return _dueTimes.ToArray();
            }
        }
    }

    /// <summary>How many timer callbacks have run.</summary>
    public int Fired
    {
        get
        {
            lock (_lock)
            {
                return _fired;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = base.CreateTimer(
            s =>
            {
                Change(() => _fired++);
                callback(s);
            },
            state,
            dueTime,
            period);

        // Signal only once the timer is registered, so an Advance after the wait reaches it.
        Change(() => _dueTimes.Add(dueTime));
        return timer;
    }

    /// <summary>Waits until at least <paramref name="count"/> timers have been created; fails the test after 10 s.</summary>
    public Task WaitForTimersAsync(int count) => WaitAsync(() => _dueTimes.Count >= count, $"{count} timers");

    /// <summary>Waits until at least <paramref name="count"/> timer callbacks have run; fails the test after 10 s.</summary>
    public Task WaitForFiredAsync(int count) => WaitAsync(() => _fired >= count, $"{count} fired timers");

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Change(Action change)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            change();
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (condition())
                {
                    return;
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new AssertionException($"timed out waiting for {what}; due times so far: [{string.Join(", ", DueTimes)}], fired {Fired}");
            }

            await Task.WhenAny(changed, Task.Delay(left));
        }
    }
}
