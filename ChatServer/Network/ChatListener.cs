using System.Net.Sockets;
using ChatServer.Network.Tls;
using ChatServer.Protocol;

namespace ChatServer.Network;

/// <summary>
/// One listening socket of the host and the protocol spoken on it. The socket and the per-address
/// counts belong to the host, so they outlive an acceptor crash (connections waiting in the backlog
/// are accepted by the next acceptor, as Ranch does).
/// </summary>
/// <param name="AcceptorName">The registered name of the listener's acceptor.</param>
/// <param name="Socket">The bound, listening socket.</param>
/// <param name="Protocol">The protocol spoken on it.</param>
/// <param name="PerAddress">Open connections per address on it.</param>
/// <param name="Tls">The handshake every connection goes through first on a TLS port; null on a plain one.</param>
internal sealed record ChatListener(string AcceptorName, Socket Socket, ListenerProtocol Protocol, AddressCounter PerAddress, TlsHandshake? Tls = null);
