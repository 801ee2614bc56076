using System.Collections.Concurrent;
using Supervision.Tests.Support;

namespace Supervision.Tests.Stress;

/// <summary>
/// Child specs for many <see cref="TestChild"/>ren that remember every incarnation ever started
/// and let a test wait, without polling, until a number of starts has happened.
/// </summary>
public sealed class Incarnations
{
    private readonly Lock _lock = new();
    private readonly ConcurrentQueue<TestChild> _all = new();
    private readonly List<(int Target, TaskCompletionSource Reached)> _waiters = [];
    private int _started;

    public EventLog Log { get; } = new();

    public IReadOnlyCollection<TestChild> All => _all.ToArray();

    public int Started => Volatile.Read(ref _started);

    public ChildSpec Spec(string id, RestartType restart = RestartType.Permanent) => new()
    {
        Id = id,
        Restart = restart,
        Start = async cancellationToken =>
        {
            var child = new TestChild(id, Log);
            await child.StartAsync(cancellationToken);
            _all.Enqueue(child);
            var started = Interlocked.Increment(ref _started);
            lock (_lock)
            {
                foreach (var waiter in _waiters.Where(w => w.Target <= started))
                {
                    waiter.Reached.TrySetResult();
                }

                _waiters.RemoveAll(w => w.Target <= started);
            }

            return child;
        },
    };

    /// <summary>Completes once <paramref name="target"/> incarnations have started in all; fails the test after <paramref name="timeout"/>.</summary>
    public async Task WaitForStartsAsync(int target, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (Started >= target)
            {
                return;
            }

            _waiters.Add((target, reached));
        }

        try
        {
            await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new AssertionException($"timed out waiting for {target} starts; {Started} so far");
        }
    }
}
