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

    /// <inheritdoc />
    public PersonMask Mask => PersonMask.Hidden;

    /// <inheritdoc />
    public PersonStatus Status => PersonStatus.Plain;

    /// <inheritdoc />
    public bool Deliver(ChatEvent chatEvent)
    {
        if (chatEvent is ChatEvent.Invited invited && cluster.Outbox is { } inviteOutbox)
        {
            // Through the same inbox as a private message: the invitee's node tells it.
            var invite = new ClusterEntry
            {
                Kind = EntryKinds.Invited,
                Member = memberId,
                Nick = invited.Nick,
                Text = invited.Room,
                To = nick,
                At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            };
            return inviteOutbox.Append(new OutboxWrite(cluster.Node.Keys.Inbox(ClusterNode.NodeOf(memberId)), AppendEffects.Line, invite, Room: "", IsLine: false, OnRejected: null, NumberedHere: true));
        }

        if (chatEvent is not ChatEvent.PrivateMessage message || cluster.Outbox is not { } outbox)
        {
            return false;
        }

        var entry = new ClusterEntry
        {
            Kind = EntryKinds.Message,
            Member = memberId,
            Nick = message.From,
            Text = message.Text,
            To = nick,
            At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        var sender = message.Sender;
        return outbox.Append(new OutboxWrite(
            cluster.Node.Keys.Inbox(ClusterNode.NodeOf(memberId)),
            AppendEffects.Line,
            entry,
            Room: "",
            IsLine: true,
            OnRejected: sender is null ? null : (_, why) => sender.Deliver(new ChatEvent.NotDelivered($"pm to {nick}", message.Text, why)),
            NumberedHere: true));
    }

    /// <inheritdoc />
    public bool Deliver(RoomBatch batch) => false;

    /// <inheritdoc />
    public void RegisterAgain()
    {
        // Its own node's presence takes its nick back, never this one's.
    }
}
