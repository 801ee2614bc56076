namespace ChatServer.Network.Tls;

/// <summary>The TLS certificate or its key could not be read: says which files, and why.</summary>
public sealed class TlsCertificateException(string certificatePath, string keyPath, Exception inner)
    : Exception($"cannot load the TLS certificate {certificatePath} with the key {keyPath}: {inner.Message}", inner);
