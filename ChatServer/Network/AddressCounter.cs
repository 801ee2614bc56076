using System.Net;

namespace ChatServer.Network;

/// <summary>
/// Open connections per IP address, for the per-address limit. Thread-safe: the accept loop takes a
/// slot, and the connection gives it back when it closes, on whatever thread that is. Owned by the host
/// with the listening socket, so a restarted acceptor finds the counts of the connections still open.
/// </summary>
internal sealed class AddressCounter(int maxPerAddress)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _open = [];

    /// <summary>A slot for <paramref name="address"/>, given back when disposed; null if it already has the most allowed (0 = no limit).</summary>
    public IDisposable? TryTake(IPAddress address) => TryIncrement(address) ? new Slot(this, address) : null;

    private bool TryIncrement(IPAddress address)
    {
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(address);
            if (maxPerAddress > 0 && open >= maxPerAddress)
            {
                return false;
            }

            _open[address] = open + 1;
            return true;
        }
    }

    private void Release(IPAddress address)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(address, out var open))
            {
                if (open <= 1)
                {
                    _open.Remove(address);
                }
                else
                {
                    _open[address] = open - 1;
                }
            }
        }
    }

    /// <summary>One taken slot; disposing gives it back once.</summary>
    private sealed class Slot(AddressCounter counter, IPAddress address) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                counter.Release(address);
            }
        }
    }
}
