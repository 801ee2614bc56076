namespace ChatServer.Protocol;

/// <summary>Why the server closes a connection on its own.</summary>
internal enum DisconnectReason
{
    /// <summary>Too many lines dropped in a row for flooding.</summary>
    Flooding,

    /// <summary>No input for the idle timeout.</summary>
    IdleTimeout,

    /// <summary>The server is shutting down.</summary>
    ServerShutdown,
}
