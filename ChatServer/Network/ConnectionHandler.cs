using ChatServer.Network.Tls;
using Supervision;

namespace ChatServer.Network;

/// <summary>
/// What one listener does with its connections, given to its acceptor: the acceptor knows sockets,
/// limits and a supervisor to start children under, never what the children are or which protocol they speak.
/// </summary>
/// <param name="Protocol">The protocol's name, for logs (e.g. <c>chat</c>).</param>
/// <param name="Supervisor">The registered name of the dynamic supervisor the connections' workers run under.</param>
/// <param name="Limits">Each connection's send queue limits.</param>
/// <param name="PerAddress">Open connections per address; belongs to the host, so it outlives an acceptor restart.</param>
/// <param name="Start">The child spec of the worker that takes over a connection.</param>
/// <param name="Refusal">The one line (with its line ending) that tells a refused peer why, in the listener's protocol.</param>
/// <param name="Tls">The handshake a connection goes through before its worker starts, on a TLS port; null on a plain one.</param>
internal sealed record ConnectionHandler(
    string Protocol,
    string Supervisor,
    SendQueueLimits Limits,
    AddressCounter PerAddress,
    Func<Connection, ChildSpec> Start,
    Func<string, byte[]> Refusal,
    TlsHandshake? Tls = null);
