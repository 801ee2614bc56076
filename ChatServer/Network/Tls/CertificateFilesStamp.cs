namespace ChatServer.Network.Tls;

/// <summary>
/// What the certificate and key files are at one moment: the file each path resolves to (through any
/// symlinks, as certbot's <c>live/</c> links into <c>archive/</c>), its last write time and its length. A
/// different stamp means the files may hold a new certificate; an equal one that they do not.
/// </summary>
internal readonly record struct CertificateFilesStamp(FileStamp Certificate, FileStamp Key)
{
    /// <summary>The stamp of <paramref name="certificatePath"/> and <paramref name="keyPath"/> now.</summary>
    public static CertificateFilesStamp Read(string certificatePath, string keyPath) => new(FileStamp.Read(certificatePath), FileStamp.Read(keyPath));
}
