using System.Net;
using System.Net.Sockets;

namespace ChatServer.Network;

/// <summary>
/// Opens the listening socket. It belongs to the host, not to the acceptor, so it outlives an
/// acceptor crash and the connections waiting in its backlog are accepted by the next acceptor (as Ranch does).
/// </summary>
public static class Listener
{
    /// <summary>The kernel backlog of connections not yet accepted.</summary>
    public const int Backlog = 512;

    /// <summary>Binds and listens on <paramref name="endPoint"/>.</summary>
    /// <exception cref="SocketException">The address is in use or cannot be bound.</exception>
    public static Socket Open(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
