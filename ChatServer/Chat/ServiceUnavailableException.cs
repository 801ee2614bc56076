namespace ChatServer.Chat;

/// <summary>A service of the tree (presence, the room directory) is not running right now, typically because it is restarting.</summary>
public sealed class ServiceUnavailableException() : Exception("a chat service is restarting");
