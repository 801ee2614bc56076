namespace Supervision.Tests.Support;

/// <summary>
/// Builds child specs for <see cref="TestChild"/>ren and keeps hold of their live incarnations, so a
/// test can make a child exit. Like OTP's <c>supervisor_deadlock</c>, a child can be set to fail its
/// next starts.
/// </summary>
public sealed class TestChildren(EventLog log)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TestChild> _current = [];
    private readonly Dictionary<string, int> _failNextStarts = [];
    private readonly Dictionary<string, int> _ignoreNextStarts = [];

    public EventLog Log { get; } = log;

    public ChildSpec Spec(
        string id,
        RestartType restart = RestartType.Permanent,
        ShutdownPolicy? shutdown = null,
        bool significant = false,
        bool ignoreStop = false) => new()
        {
            Id = id,
            Restart = restart,
            Shutdown = shutdown,
            Significant = significant,
            Start = async cancellationToken =>
            {
                lock (_lock)
                {
                    if (_failNextStarts.TryGetValue(id, out var failures) && failures > 0)
                    {
                        _failNextStarts[id] = failures - 1;
                        Log.Add($"start_failed:{id}");
                        throw new InvalidOperationException($"{id} refuses to start");
                    }

                    if (_ignoreNextStarts.TryGetValue(id, out var ignores) && ignores > 0)
                    {
                        _ignoreNextStarts[id] = ignores - 1;
                        Log.Add($"ignored:{id}");
                        return null;
                    }
                }

                // Published before it starts (and logs "start:id"), so a test that saw the start
                // event always reaches this incarnation; messages sent before init completes wait in its mailbox.
                var child = new TestChild(id, Log, ignoreStop);
                lock (_lock)
                {
                    _current[id] = child;
                }

                await child.StartAsync(cancellationToken);
                return child;
            },
        };

    /// <summary>The newest incarnation of <paramref name="id"/>.</summary>
    public TestChild this[string id]
    {
        get
        {
            lock (_lock)
            {
                return _current[id];
            }
        }
    }

    public void FailNextStarts(string id, int times)
    {
        lock (_lock)
        {
            _failNextStarts[id] = times;
        }
    }

    public void IgnoreNextStarts(string id, int times)
    {
        lock (_lock)
        {
            _ignoreNextStarts[id] = times;
        }
    }

    /// <summary>Makes the current incarnation of <paramref name="id"/> crash and waits until it has exited.</summary>
    public async Task<TestChild> CrashAsync(string id)
    {
        var child = this[id];
        child.Tell(new TestChild.Crash());
        await child.Completion.WaitAsync(EventLog.DefaultWait);
        return child;
    }

    /// <summary>Makes the current incarnation of <paramref name="id"/> exit with <paramref name="reason"/> and waits until it has.</summary>
    public async Task<TestChild> ExitAsync(string id, ExitReason reason)
    {
        var child = this[id];
        if (reason == ExitReason.Killed)
        {
            child.Kill();
        }
        else
        {
            child.Tell(new TestChild.ExitWith(reason));
        }

        await child.Completion.WaitAsync(EventLog.DefaultWait);
        return child;
    }
}
