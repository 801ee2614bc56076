using ChatServer.Chat;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>
/// A person on another node, as <c>/msg</c> sees them: a private message to them is appended to their
/// node's inbox through the outbox (in order, kept through an outage like everything else), addressed
/// to their member id, so it reaches them even if they change nick meanwhile, and never someone who took the nick after them.
/// </summary>
internal sealed class RemoteMember(ClusterServices cluster, string memberId, string nick) : IChatMember
{
    /// <summary>The outbox, the process that carries what is delivered to this member.</summary>
    public IProcess Process => (IProcess?)cluster.Outbox ?? throw new ServiceUnavailableException();

    /// <summary>The node the member is on: a <c>/ping</c> after a private message waits for its inbox there.</summary>
    public string Node => ClusterNode.NodeOf(memberId);

    /// <inheritdoc />
    public PersonMask Mask => PersonMask.Hidden;

    /// <inheritdoc />
    public PersonStatus Status => PersonStatus.Plain;

    /// <inheritdoc />
    public bool Deliver(ChatEvent chatEvent) => chatEvent switch
    {
        // An invitation goes through the same inbox as a private message: the invitee's node tells it.
        ChatEvent.Invited invited => AppendToInbox(EntryKinds.Invited, invited.Nick, invited.Room, isLine: false, onRejected: null),
        ChatEvent.PrivateMessage { Sender: var sender } message => AppendToInbox(
            EntryKinds.Message,
            message.From,
            message.Text,
            isLine: true,
            onRejected: sender is null ? null : (_, why) => sender.Deliver(new ChatEvent.NotDelivered($"pm to {nick}", message.Text, why))),
        _ => false,
    };

    /// <inheritdoc />
    public bool Deliver(RoomBatch batch) => false;

    /// <inheritdoc />
    public void RegisterAgain()
    {
        // Its own node's presence takes its nick back, never this one's.
    }

    /// <summary>Appends an entry for this member to its node's inbox; false when the outbox is not running.</summary>
    private bool AppendToInbox(string kind, string from, string text, bool isLine, Action<OutboxWrite, string>? onRejected)
    {
        if (cluster.Outbox is not { } outbox)
        {
            return false;
        }

        var entry = new ClusterEntry
        {
            Kind = kind,
            Member = memberId,
            Nick = from,
            Text = text,
            To = nick,
            At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        return outbox.Append(new OutboxWrite(cluster.Node.Keys.Inbox(ClusterNode.NodeOf(memberId)), AppendEffects.Line, entry, Room: "", IsLine: isLine, OnRejected: onRejected, NumberedHere: true));
    }
}
