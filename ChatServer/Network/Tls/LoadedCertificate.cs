using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ChatServer.Network.Tls;

/// <summary>
/// One certificate with its key and chain, read from PEM files, ready for handshakes: the context is
/// built once (offline, so no handshake ever fetches an intermediate) and shared by every handshake.
/// </summary>
/// <param name="Leaf">The server's certificate, with its private key.</param>
/// <param name="Context">What <see cref="SslStream"/> presents: the leaf and the intermediates after it in the file.</param>
/// <param name="Stamp">The files it was read from, as they were just before.</param>
internal sealed record LoadedCertificate(X509Certificate2 Leaf, SslStreamCertificateContext Context, CertificateFilesStamp Stamp)
{
    /// <summary>Reads <paramref name="certificatePath"/> (the leaf first, then its chain, as certbot's <c>fullchain.pem</c>) and <paramref name="keyPath"/>.</summary>
    /// <exception cref="TlsCertificateException">A file is missing, unreadable, not PEM, or the key does not match the certificate.</exception>
    public static LoadedCertificate Load(string certificatePath, string keyPath)
    {
        var stamp = CertificateFilesStamp.Read(certificatePath, keyPath);
        try
        {
            // On Linux the key stays ephemeral (in memory, never in a key store), which SslStream accepts there.
            var leaf = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(certificatePath);
            var intermediates = new X509Certificate2Collection(chain.Where(c => c.Thumbprint != leaf.Thumbprint).ToArray());
            return new(leaf, SslStreamCertificateContext.Create(leaf, intermediates, offline: true), stamp);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new TlsCertificateException(certificatePath, keyPath, exception);
        }
    }
}
