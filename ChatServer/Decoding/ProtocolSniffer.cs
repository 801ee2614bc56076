using System.Text;

namespace ChatServer.Decoding;

/// <summary>
/// Recognises the first bytes of a connection that speaks another protocol: a TLS handshake record
/// or an HTTP request line. Such a peer is told in one line what this port is, and closed.
/// </summary>
public static class ProtocolSniffer
{
    private static readonly string[] s_httpMethods = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "PATCH", "TRACE"];

    /// <summary>"TLS", "HTTP", or null when <paramref name="head"/> (the first bytes received) looks like neither.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        // A TLS record: content type 22 (handshake), protocol version 3.x.
        if (head.Length >= 2 && head[0] == 22 && head[1] == 3)
        {
            return "TLS";
        }

        foreach (var method in s_httpMethods)
        {
            if (head.Length > method.Length && head[method.Length] == (byte)' ' && head.StartsWith(Encoding.ASCII.GetBytes(method)))
            {
                return "HTTP";
            }
        }

        return null;
    }

    /// <summary>Whether a whole first line is an HTTP request line (method, target, HTTP version).</summary>
    public static bool IsHttpRequestLine(string line)
    {
        var parts = line.Split(' ');
        return parts.Length == 3 && parts[2].StartsWith("HTTP/", StringComparison.Ordinal) && s_httpMethods.Contains(parts[0]);
    }
}
