using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ChatServer.Tests.Support;

/// <summary>
/// Self-signed certificates made in-process, laid out as certbot lays them out: PEM files under
/// <c>archive/</c> (<c>fullchain1.pem</c>, <c>privkey1.pem</c>, ...) and the symlinks the server is given,
/// <c>live/fullchain.pem</c> and <c>live/privkey.pem</c>, which <see cref="Renew"/> swaps atomically to a new
/// pair (a rename over the old link, as certbot does). No key is ever checked in. Disposing deletes the directory.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly string _root;
    private int _version;

    private TestCertificates(string root) => _root = root;

    /// <summary>The certificate file to give the server (a symlink).</summary>
    public string CertificatePath => Path.Combine(_root, "live", "fullchain.pem");

    /// <summary>The key file to give the server (a symlink).</summary>
    public string KeyPath => Path.Combine(_root, "live", "privkey.pem");

    /// <summary>The certificate the links point to now (public part only).</summary>
    public X509Certificate2 Current { get; private set; } = null!;

    /// <summary>Makes a directory with a first certificate for <paramref name="commonName"/>, valid for <paramref name="validFor"/> (30 days if not given).</summary>
    public static TestCertificates Create(string commonName = "localhost", TimeSpan? validFor = null)
    {
        var root = Path.Combine(Path.GetTempPath(), $"chat-tls-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "archive"));
        Directory.CreateDirectory(Path.Combine(root, "live"));
        var certificates = new TestCertificates(root);
        certificates.Renew(commonName, validFor);
        return certificates;
    }

    /// <summary>Writes a new certificate and key under <c>archive/</c> and points the links at them, the key first.</summary>
    public X509Certificate2 Renew(string commonName = "localhost", TimeSpan? validFor = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(commonName);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + (validFor ?? TimeSpan.FromDays(30)));

        var version = ++_version;
        var certificateFile = WriteArchive($"fullchain{version}.pem", certificate.ExportCertificatePem());
        var keyFile = WriteArchive($"privkey{version}.pem", key.ExportPkcs8PrivateKeyPem());
        SwapLink(KeyPath, keyFile);
        SwapLink(CertificatePath, certificateFile);
        Current = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
        return Current;
    }

    /// <summary>Points the certificate link at a file that is not a certificate (a half-written one), leaving the key.</summary>
    public void SwapInBrokenCertificate()
    {
        var version = ++_version;
        SwapLink(CertificatePath, WriteArchive($"fullchain{version}.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n"));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind harms nothing.
        }
    }

    private string WriteArchive(string name, string pem)
    {
        var path = Path.Combine(_root, "archive", name);
        File.WriteAllText(path, pem);
        return path;
    }

    /// <summary>Replaces the symlink <paramref name="link"/> atomically: a new link beside it, renamed over it.</summary>
    private static void SwapLink(string link, string target)
    {
        var temporary = link + ".new";
        File.CreateSymbolicLink(temporary, Path.GetRelativePath(Path.GetDirectoryName(link)!, target));
        File.Move(temporary, link, overwrite: true);
    }
}
