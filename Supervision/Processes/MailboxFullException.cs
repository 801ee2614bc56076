namespace Supervision;

/// <summary>A call could not be queued because the worker's bounded mailbox is full and its full-mode is <see cref="MailboxFullMode.FailFast"/>.</summary>
public sealed class MailboxFullException : Exception
{
    /// <summary>Creates the exception for the worker <paramref name="name"/>.</summary>
    public MailboxFullException(ProcessId process, string name)
        : base($"mailbox of {name} {process} is full")
    {
        Process = process;
    }

    /// <summary>The process whose mailbox is full.</summary>
    public ProcessId Process { get; }
}
