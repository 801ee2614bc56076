namespace ChatServer.Network.Tls;

/// <summary>
/// The certificate the TLS ports present now. Handshakes read <see cref="Current"/> once each, and a
/// reload swaps it whole, so every handshake sees one consistent certificate, key and chain, and the
/// next handshake after a reload sees the new one. Belongs to the host; the
/// <see cref="CertificateReloader"/> worker refreshes it.
/// </summary>
internal sealed class ServerCertificate
{
    private LoadedCertificate _current;

    /// <summary>Loads the certificate at start.</summary>
    /// <exception cref="TlsCertificateException">It cannot be loaded.</exception>
    public ServerCertificate(string certificatePath, string keyPath, TimeProvider timeProvider)
    {
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        TimeProvider = timeProvider;
        _current = LoadedCertificate.Load(certificatePath, keyPath);
    }

    /// <summary>The PEM file of the certificate and its chain, as given (it may be a symlink).</summary>
    public string CertificatePath { get; }

    /// <summary>The PEM file of the key, as given.</summary>
    public string KeyPath { get; }

    /// <summary>The clock the expiry is measured with.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The certificate presented now.</summary>
    public LoadedCertificate Current => Volatile.Read(ref _current);

    /// <summary>Time left until the current certificate expires; negative once it has.</summary>
    public TimeSpan ExpiresIn => Current.Leaf.NotAfter.ToUniversalTime() - TimeProvider.GetUtcNow().UtcDateTime;

    /// <summary>Presents <paramref name="next"/> from the next handshake on.</summary>
    /// <remarks>The old one is not disposed: a handshake still running may be using it.</remarks>
    public void Replace(LoadedCertificate next) => Volatile.Write(ref _current, next);
}
