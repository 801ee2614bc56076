namespace Supervision;

/// <summary>What a sender meets when a bounded mailbox is full.</summary>
public enum MailboxFullMode
{
    /// <summary><c>TellAsync</c> and <c>CallAsync</c> wait for room (a call within its timeout). <c>Tell</c> returns false.</summary>
    Wait,

    /// <summary><c>TellAsync</c> returns false and <c>CallAsync</c> throws <see cref="MailboxFullException"/> at once. <c>Tell</c> returns false.</summary>
    FailFast,
}
