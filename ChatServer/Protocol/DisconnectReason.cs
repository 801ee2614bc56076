namespace ChatServer.Protocol;

/// <summary>Why the server closes a connection on its own.</summary>
internal enum DisconnectReason
{
    /// <summary>Too many lines in a row over the flood limit (dropped on the chat port, delayed on IRC).</summary>
    Flooding,

    /// <summary>No input for the idle timeout.</summary>
    IdleTimeout,

    /// <summary>The server is shutting down.</summary>
    ServerShutdown,
}
