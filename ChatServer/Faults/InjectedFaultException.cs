namespace ChatServer.Faults;

/// <summary>A crash caused on purpose by fault injection, which is off unless the server was started with it (tests).</summary>
public sealed class InjectedFaultException(string message) : Exception(message);
