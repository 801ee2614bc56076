using System.Diagnostics;

namespace Supervision.Tests.Support;

/// <summary>
/// Records the stopped activities of the "Supervision" source whose supervisor tag is one of the
/// given names (listeners are process-global; other tests' supervisors are ignored). Waits are
/// bounded and wake on every recorded activity, never poll.
/// </summary>
public sealed class ActivityRecorder : IDisposable
{
    public const string SupervisorTag = "supervision.supervisor";

    private readonly Lock _lock = new();
    private readonly List<Activity> _stopped = [];
    private readonly HashSet<string> _supervisors;
    private readonly ActivityListener _listener;
    private TaskCompletionSource _changed = NewSignal();

    public ActivityRecorder(params string[] supervisors)
    {
        _supervisors = [.. supervisors];
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SupervisionActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Stopped
    {
        get
        {
            lock (_lock)
            {
                return _stopped.ToArray();
            }
        }
    }

    public IReadOnlyList<Activity> Named(string operationName) => Stopped.Where(a => a.OperationName == operationName).ToList();

    /// <summary>Waits until an activity named <paramref name="operationName"/> matching <paramref name="match"/> has stopped; returns it.</summary>
    public async Task<Activity> WaitForAsync(string operationName, Func<Activity, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? EventLog.DefaultWait);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var found = _stopped.FirstOrDefault(a => a.OperationName == operationName && (match?.Invoke(a) ?? true));
                if (found is not null)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                throw new AssertionException($"no {operationName} activity within the wait; seen: [{string.Join(", ", Stopped.Select(a => a.OperationName))}]");
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void OnStopped(Activity activity)
    {
        if (activity.GetTagItem(SupervisorTag) is not string supervisor || !_supervisors.Contains(supervisor))
        {
            return;
        }

        TaskCompletionSource changed;
        lock (_lock)
        {
            _stopped.Add(activity);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }
}
