using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Supervision;

/// <summary>
/// The running children of every supervisor, by supervisor name, read by the observable
/// <c>supervision.children.active</c> at each collection: a listener that starts after the tree
/// (an exporter set up once the server runs) sees the children started before it. Supervisors of
/// one name share a count; names are chosen by code, so the set stays small.
/// </summary>
internal sealed class ActiveChildCounts
{
    /// <summary>Running children per supervisor name; each count changed with Interlocked from any thread.</summary>
    private readonly ConcurrentDictionary<string, StrongBox<long>> _bySupervisor = new(StringComparer.Ordinal);

    /// <summary>The shared count of the supervisors named <paramref name="supervisor"/>.</summary>
    public StrongBox<long> For(string supervisor) => _bySupervisor.GetOrAdd(supervisor, static _ => new StrongBox<long>());

    /// <summary>One measurement per supervisor name, tagged <c>supervisor</c>.</summary>
    public IEnumerable<Measurement<long>> Observe()
    {
        foreach (var (supervisor, count) in _bySupervisor)
        {
            yield return new Measurement<long>(Interlocked.Read(ref count.Value), SupervisionMetrics.Tag(supervisor));
        }
    }
}
