using System.Net;
using System.Security.Cryptography;

namespace ChatServer.Clients;

/// <summary>
/// The host shown for a connection: a keyed hash of its address, so people can tell two addresses
/// apart (and ban one) without anyone learning an address. The key is random per process.
/// </summary>
internal static class HostCloak
{
    private static readonly byte[] s_key = RandomNumberGenerator.GetBytes(32);

    /// <summary>The cloak of <paramref name="endPoint"/>'s address (<c>3f9a1c2e.cloak</c>); <c>hidden.cloak</c> without one.</summary>
    public static string For(EndPoint? endPoint)
    {
        if (endPoint is not IPEndPoint ip)
        {
            return "hidden.cloak";
        }

        var address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        var hash = HMACSHA256.HashData(s_key, address.GetAddressBytes());
        return $"{Convert.ToHexStringLower(hash.AsSpan(0, 4))}.cloak";
    }
}
