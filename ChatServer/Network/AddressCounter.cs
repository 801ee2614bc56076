using System.Net;

namespace ChatServer.Network;

/// <summary>
/// Open connections per IP address, for the per-address limit. Thread-safe: the accept loop takes a
/// slot, and the monitor on each client gives it back when the client exits, on whatever thread that is.
/// </summary>
public sealed class AddressCounter(int maxPerAddress)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, int> _open = [];

    /// <summary>Takes a slot for <paramref name="address"/>; false if it already has the most allowed (0 = no limit).</summary>
    public bool TryTake(IPAddress address)
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

    /// <summary>Gives back a slot of <paramref name="address"/>.</summary>
    public void Release(IPAddress address)
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
}
