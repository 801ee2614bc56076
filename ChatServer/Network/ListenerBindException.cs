using System.Net;
using System.Net.Sockets;

namespace ChatServer.Network;

/// <summary>A listening socket could not be bound: says which address and port, and why.</summary>
public sealed class ListenerBindException(IPEndPoint endPoint, SocketException inner)
    : Exception($"cannot listen on {endPoint}: {inner.Message}", inner)
{
    /// <summary>The address and port that could not be bound.</summary>
    public IPEndPoint EndPoint { get; } = endPoint;

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/> (<see cref="Listener.Open"/>), naming them when it fails.</summary>
    internal static Socket Open(IPAddress address, int port)
    {
        var endPoint = new IPEndPoint(address, port);
        try
        {
            return Listener.Open(endPoint);
        }
        catch (SocketException exception)
        {
            throw new ListenerBindException(endPoint, exception);
        }
    }
}
