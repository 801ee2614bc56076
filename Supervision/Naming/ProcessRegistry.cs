using System.Collections.Concurrent;

namespace Supervision;

/// <summary>
/// Unique names for live processes (Erlang's <c>register/2</c>, Elixir's unique <c>Registry</c>).
/// A name is released when its process exits, before the process's completion is observable, so a
/// supervisor restarting the process can register the name again without a race. Thread-safe.
/// </summary>
public sealed class ProcessRegistry
{
    private readonly ConcurrentDictionary<string, Registration> _names;

    /// <summary>Creates an empty registry comparing names with <paramref name="comparer"/> (default ordinal).</summary>
    public ProcessRegistry(IEqualityComparer<string>? comparer = null)
    {
        _names = new ConcurrentDictionary<string, Registration>(comparer ?? StringComparer.Ordinal);
    }

    /// <summary>The number of names registered.</summary>
    public int Count => _names.Count;

    /// <summary>A snapshot of the registered names.</summary>
    public IReadOnlyCollection<string> Names => _names.Keys.ToArray();

    /// <summary>
    /// Registers <paramref name="name"/> for <paramref name="process"/> until it exits or the name is
    /// unregistered. Returns false if a live process holds the name. A name still held by a process
    /// that has exited is taken over.
    /// </summary>
    /// <exception cref="ProcessExitedException"><paramref name="process"/> has already exited.</exception>
    public bool TryRegister(string name, IProcess process)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(process);
        ThrowIfExited(process);
        var registration = new Registration(process);
        while (true)
        {
            if (_names.TryAdd(name, registration))
            {
                break;
            }

            if (!_names.TryGetValue(name, out var holder))
            {
                continue;
            }

            if (!holder.Process.HasExited)
            {
                return false;
            }

            if (_names.TryUpdate(name, registration, holder))
            {
                break;
            }
        }

        registration.Monitor = process.Monitor(_ => _names.TryRemove(new KeyValuePair<string, Registration>(name, registration)));

        // The process exited during the registration: its monitor already released the name.
        ThrowIfExited(process);
        return true;
    }

    /// <summary>Registers <paramref name="name"/> for <paramref name="process"/>.</summary>
    /// <exception cref="NameTakenException">A live process holds the name; the exception names it.</exception>
    public void Register(string name, IProcess process)
    {
        if (!TryRegister(name, process))
        {
            throw new NameTakenException(name, WhereIs(name));
        }
    }

    /// <summary>The live process registered under <paramref name="name"/>, or null (OTP's <c>whereis/1</c>).</summary>
    public IProcess? WhereIs(string name) =>
        _names.TryGetValue(name, out var holder) && !holder.Process.HasExited ? holder.Process : null;

    /// <summary>Releases <paramref name="name"/> if <paramref name="process"/> holds it. Returns whether it did.</summary>
    public bool Unregister(string name, IProcess process)
    {
        if (_names.TryGetValue(name, out var holder) && ReferenceEquals(holder.Process, process)
            && _names.TryRemove(new KeyValuePair<string, Registration>(name, holder)))
        {
            holder.Monitor?.Demonitor();
            return true;
        }

        return false;
    }

    private static void ThrowIfExited(IProcess process)
    {
        if (process.HasExited)
        {
            // Between HasExited and Completion the reason is not published yet: the process is mid-exit.
            var reason = process.Completion.IsCompleted ? process.Completion.Result : ExitReason.ShutdownWith("exiting");
            throw new ProcessExitedException(process.Id, process.Name, reason);
        }
    }

    private sealed class Registration(IProcess process)
    {
        public IProcess Process { get; } = process;

        public MonitorRef? Monitor { get; set; }
    }
}
