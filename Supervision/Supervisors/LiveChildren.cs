namespace Supervision;

/// <summary>
/// The child processes of one supervisor that have started and not yet exited, whatever the
/// supervisor's own records say: what a kill of the supervisor must kill before its own exit is
/// visible, so that a parent restarting it never meets its old children (or their names).
/// Thread-safe: the supervisor's loop adds, the children's exit callbacks remove, a kill comes from anywhere.
/// </summary>
internal sealed class LiveChildren
{
    private readonly Lock _lock = new();

    /// <summary>Started and not yet exited.</summary>
    private readonly HashSet<IProcess> _processes = new(ReferenceEqualityComparer.Instance);

    /// <summary>Set by <see cref="KillAll"/>: from then on no child is added.</summary>
    private bool _killed;

    /// <summary>Adds <paramref name="process"/>; false once the supervisor was killed (the caller kills the process).</summary>
    public bool TryAdd(IProcess process)
    {
        lock (_lock)
        {
            return !_killed && _processes.Add(process);
        }
    }

    public void Remove(IProcess process)
    {
        lock (_lock)
        {
            _processes.Remove(process);
        }
    }

    /// <summary>Kills every live child, synchronously: each has exited when this returns.</summary>
    public void KillAll()
    {
        IProcess[] processes;
        lock (_lock)
        {
            _killed = true;
            processes = [.. _processes];
        }

        foreach (var process in processes)
        {
            process.Kill();
        }
    }
}
