using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ChatServer.Clients;

/// <summary>
/// The host shown for a connection: a keyed hash of its address, so people can tell two addresses
/// apart (and ban one) without anyone learning an address. One per server, shared by its ports. The
/// key comes from <c>--cloak-key</c>, so that cloaks (and bans on them) survive a restart and match on
/// every node of a cluster; without one it is random per process.
/// </summary>
internal sealed class HostCloak
{
    /// <summary>The HMAC key.</summary>
    private readonly byte[] _key;

    private HostCloak(byte[] key) => _key = key;

    /// <summary>The cloak of <paramref name="secret"/>, or of a random key when it is null.</summary>
    public static HostCloak Create(string? secret) =>
        new(secret is null ? RandomNumberGenerator.GetBytes(32) : SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The cloak of <paramref name="endPoint"/>'s address (<c>3f9a1c2e.cloak</c>); <c>hidden.cloak</c> without one.</summary>
    public string For(EndPoint? endPoint)
    {
        if (endPoint is not IPEndPoint ip)
        {
            return "hidden.cloak";
        }

        var address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        var hash = HMACSHA256.HashData(_key, address.GetAddressBytes());
        return $"{Convert.ToHexStringLower(hash.AsSpan(0, 4))}.cloak";
    }
}
