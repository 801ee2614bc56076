namespace ChatServer.Protocol;

/// <summary>What a protocol adapter may ask of the connection's worker: output, and leaving.</summary>
internal interface IClientLink
{
    /// <summary>Whether <c>/crash</c> (and its like) may crash the worker: tests only.</summary>
    bool EnableFaultInjection { get; }

    /// <summary>Queues <paramref name="line"/> for the peer now.</summary>
    void Write(OutboundLine line);

    /// <summary>Queues <paramref name="line"/> behind everything already in the worker's mailbox (the answer to a barrier).</summary>
    void WriteAfterQueued(OutboundLine line);

    /// <summary>Leaves once everything queued is written, telling the rooms <paramref name="reason"/>.</summary>
    void Quit(string? reason);

    /// <summary>Sets the user name and real name shown with the member's mask (IRC's <c>USER</c>); only before the session registers.</summary>
    void SetUser(string user, string realName);

    /// <summary>The member's status as others see it (<see cref="Chat.IChatMember.Status"/>): replaced whole.</summary>
    Chat.PersonStatus Status { get; set; }

    /// <summary>The peer's cloaked host (never its address).</summary>
    string Host { get; }


    /// <summary>Closes the connection once everything queued is written, telling the rooms <paramref name="reason"/>; the adapter has said goodbye itself.</summary>
    void Close(string reason);

    /// <summary>Logs a nick change.</summary>
    void LogRenamed(string oldNick, string newNick);
}
