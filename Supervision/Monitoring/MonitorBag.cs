using System.Diagnostics;

namespace Supervision;

/// <summary>
/// The monitors of one process, or placed by one: an array while few (most processes have a handful,
/// and 10,000 clients each pay for theirs) and a hash set once many (a room watching 10,000 members), so
/// both adding and removing stay cheap at either end. A mutable struct held in its owner's field (no
/// object of its own); not thread-safe: its owner locks.
/// </summary>
internal struct MonitorBag
{
    // Past this many, a linear search costs more than a hash set's memory.
    private const int ArrayLimit = 8;

    /// <summary>The monitors while few, in <c>[0, _count)</c>; null while empty or once <see cref="_set"/> holds them.</summary>
    private MonitorRef[]? _array;

    /// <summary>The monitors once many; null while the array holds them.</summary>
    private HashSet<MonitorRef>? _set;

    /// <summary>How many monitors the array holds.</summary>
    private int _count;

    /// <summary>How many monitors the bag holds.</summary>
    public readonly int Count => _set?.Count ?? _count;

    /// <summary>Adds <paramref name="monitor"/>, which is not in the bag.</summary>
    public void Add(MonitorRef monitor)
    {
        if (_set is not null)
        {
            _set.Add(monitor);
            return;
        }

        _array ??= new MonitorRef[2];
        Debug.Assert(Array.IndexOf(_array, monitor, 0, _count) < 0, "a monitor is added once");
        if (_count == _array.Length)
        {
            if (_count == ArrayLimit)
            {
                _set = [.. _array];
                _set.Add(monitor);
                _array = null;
                _count = 0;
                return;
            }

            Array.Resize(ref _array, _count * 2);
        }

        _array[_count++] = monitor;
    }

    /// <summary>Removes <paramref name="monitor"/> if the bag holds it.</summary>
    public void Remove(MonitorRef monitor)
    {
        if (_set is not null)
        {
            _set.Remove(monitor);
            return;
        }

        if (_array is null)
        {
            return;
        }

        var index = Array.IndexOf(_array, monitor, 0, _count);
        if (index >= 0)
        {
            // Order does not matter: the last one takes the gap.
            _array[index] = _array[--_count];
            _array[_count] = null!;
        }
    }

    /// <summary>The monitors held, for a walk outside the owner's lock (the bag is no longer used by then).</summary>
    public readonly IEnumerable<MonitorRef> Items => _set ?? (_array ?? []).Take(_count);
}
