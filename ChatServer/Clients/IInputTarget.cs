namespace ChatServer.Clients;

/// <summary>Where an <see cref="InputReader"/> posts what it read: its worker's mailbox.</summary>
internal interface IInputTarget
{
    /// <summary>Queues <paramref name="message"/>; false once the worker is stopping.</summary>
    bool Post(ClientMessage message);
}
