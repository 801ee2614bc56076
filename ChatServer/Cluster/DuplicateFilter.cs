namespace ChatServer.Cluster;

/// <summary>
/// Drops entries already applied from one log: each writer (a node's run) numbers its entries to a log
/// in rising order, so an entry numbered at or below the last one applied from its writer is a repeat
/// (a write retried after its answer was lost). Entries numbered 0 are never repeats.
/// </summary>
internal sealed class DuplicateFilter
{
    /// <summary>Per writer, the number of the last entry applied.</summary>
    private readonly Dictionary<string, long> _lastByOrigin = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="entry"/> is new; if so it is recorded as applied.</summary>
    public bool IsNew(ClusterEntry entry)
    {
        if (entry.Seq == 0)
        {
            return true;
        }

        if (_lastByOrigin.TryGetValue(entry.Origin, out var last) && entry.Seq <= last)
        {
            return false;
        }

        _lastByOrigin[entry.Origin] = entry.Seq;
        return true;
    }
}
