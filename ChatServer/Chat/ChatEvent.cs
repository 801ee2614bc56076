using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Chat;

/// <summary>
/// What a person is told by the chat: a room's line, a membership change, a private message, or news
/// about the person's own session. Protocol-neutral: each protocol adapter formats events its own way
/// (<see cref="IChatEventFormat"/>). A room hands the same instance to every member, and the first
/// member to format it keeps the result on it (<see cref="Encode"/>), so a line is formatted once per
/// protocol, not once per recipient.
/// </summary>
public abstract class ChatEvent
{
    /// <summary>The most recent encoding of this event and the format it was made by; replaced whole, so readers on other threads see a consistent pair.</summary>
    private Encoded? _encoded;

    /// <summary>This event as <paramref name="format"/> writes it, formatted at most once per format in the common case.</summary>
    public OutboundLine Encode(IChatEventFormat format)
    {
        if (Volatile.Read(ref _encoded) is { } encoded && ReferenceEquals(encoded.Format, format))
        {
            return encoded.Line;
        }

        var line = format.Format(this);
        Volatile.Write(ref _encoded, new Encoded(format, line));
        return line;
    }

    /// <summary>A line said in a room (a message, an action or a notice: <see cref="Kind"/>), relayed to the other members.</summary>
    public sealed class RoomLine(string room, string nick, string text, LineKind kind, ProcessId sender) : ChatEvent
    {
        /// <summary>How IRC shows the person it is about (<c>user@host</c>).</summary>
        public PersonMask Mask { get; init; } = PersonMask.Hidden;

        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>The sender's nick at the time.</summary>
        public string Nick { get; } = nick;

        /// <summary>The sanitised text.</summary>
        public string Text { get; } = text;

        /// <summary>A message, an action (<c>/me</c>, CTCP ACTION) or a notice (IRC's NOTICE).</summary>
        public LineKind Kind { get; } = kind;

        /// <summary>Whether it is an action (<c>/me</c>, CTCP ACTION).</summary>
        public bool IsAction => Kind == LineKind.Action;

        /// <summary>IRC's message tags sent with it (<c>msgid</c> and client-only tags, escaped), or null; for IRC clients that enabled message-tags.</summary>
        public string? Tags { get; init; }

        /// <summary>The sender's process: a member skips its own lines.</summary>
        public ProcessId Sender { get; } = sender;
    }

    /// <summary>A room's line replayed to a joiner, with the time it was said.</summary>
    public sealed class HistoryLine(string room, DateTimeOffset at, string nick, string text, bool isAction) : ChatEvent
    {
        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>When it was said.</summary>
        public DateTimeOffset At { get; } = at;

        /// <summary>The sender's nick at the time.</summary>
        public string Nick { get; } = nick;

        /// <summary>The sanitised text.</summary>
        public string Text { get; } = text;

        /// <summary>Whether it is an action.</summary>
        public bool IsAction { get; } = isAction;
    }

    /// <summary>
    /// A room's history replayed to a joiner, oldest first: one event (one mailbox item, one send) for
    /// the whole replay, which a protocol writes as several lines.
    /// </summary>
    public sealed class HistoryReplay(string room, IReadOnlyList<HistoryLine> lines) : ChatEvent
    {
        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>The lines, oldest first; never empty.</summary>
        public IReadOnlyList<HistoryLine> Lines { get; } = lines;
    }

    /// <summary>Someone joined a room.</summary>
    public sealed class Joined(string room, string nick) : ChatEvent
    {
        /// <summary>How IRC shows the person it is about (<c>user@host</c>).</summary>
        public PersonMask Mask { get; init; } = PersonMask.Hidden;

        /// <summary>The joiner's away message, or null (IRC's away-notify tells it right after the join).</summary>
        public string? Away { get; init; }

        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>Who joined.</summary>
        public string Nick { get; } = nick;
    }

    /// <summary>Someone left a room: parted, quit, or lost the connection.</summary>
    public sealed class Left(string room, string nick, LeaveKind kind, string? reason) : ChatEvent
    {
        /// <summary>How IRC shows the person it is about (<c>user@host</c>).</summary>
        public PersonMask Mask { get; init; } = PersonMask.Hidden;

        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>Who left.</summary>
        public string Nick { get; } = nick;

        /// <summary>How.</summary>
        public LeaveKind Kind { get; } = kind;

        /// <summary>The reason given, or null.</summary>
        public string? Reason { get; } = reason;
    }

    /// <summary>A member of a room changed nick.</summary>
    public sealed class Renamed(string room, string oldNick, string newNick) : ChatEvent
    {
        /// <summary>How IRC shows the person it is about (<c>user@host</c>).</summary>
        public PersonMask Mask { get; init; } = PersonMask.Hidden;

        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>The nick before.</summary>
        public string OldNick { get; } = oldNick;

        /// <summary>The nick now.</summary>
        public string NewNick { get; } = newNick;
    }

    /// <summary>Someone set (or, with an empty <see cref="Text"/>, cleared) a room's topic; told to every member, the setter too.</summary>
    public sealed class TopicChanged(string room, string nick, string text) : ChatEvent
    {
        /// <summary>How IRC shows the person who set it (<c>user@host</c>).</summary>
        public PersonMask Mask { get; init; } = PersonMask.Hidden;

        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>Who set it.</summary>
        public string Nick { get; } = nick;

        /// <summary>The new topic; empty when it was cleared.</summary>
        public string Text { get; } = text;
    }

    /// <summary>
    /// An operator changed a room's modes; told to every member, the operator too. <see cref="Modes"/> is
    /// written as IRC does (<c>+o-v</c>), with <see cref="Arguments"/> in order (nicks, masks, key, limit).
    /// </summary>
    public sealed class ModesChanged(string room, string nick, string modes, IReadOnlyList<string> arguments) : ChatEvent
    {
        /// <summary>How IRC shows the operator (<c>user@host</c>).</summary>
        public PersonMask Mask { get; init; } = PersonMask.Hidden;

        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>Who changed them.</summary>
        public string Nick { get; } = nick;

        /// <summary>The changes: <c>+o-v</c>.</summary>
        public string Modes { get; } = modes;

        /// <summary>The changes' arguments, in order.</summary>
        public IReadOnlyList<string> Arguments { get; } = arguments;
    }

    /// <summary>
    /// An operator removed someone from a room. Told to every member, the one kicked too (who is then no
    /// longer a member); the one kicked gets its own instance, with <see cref="ToTarget"/> set, on which its
    /// session forgets the room.
    /// </summary>
    public sealed class Kicked(string room, string nick, string target, string? reason) : ChatEvent
    {
        /// <summary>How IRC shows the operator (<c>user@host</c>).</summary>
        public PersonMask Mask { get; init; } = PersonMask.Hidden;

        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>Who kicked.</summary>
        public string Nick { get; } = nick;

        /// <summary>Who was kicked.</summary>
        public string Target { get; } = target;

        /// <summary>The reason given, or null.</summary>
        public string? Reason { get; } = reason;

        /// <summary>Whether this is the instance told to the one kicked.</summary>
        public bool ToTarget { get; init; }
    }

    /// <summary>A member of a room invited this person to it; the invite lets this person join once, even when the room is invite-only (<c>+i</c>).</summary>
    public sealed class Invited(string room, string nick) : ChatEvent
    {
        /// <summary>How IRC shows the one who invited (<c>user@host</c>).</summary>
        public PersonMask Mask { get; init; } = PersonMask.Hidden;

        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>Who invited.</summary>
        public string Nick { get; } = nick;

        /// <summary>The invitee's nick as the inviter gave it (IRC's INVITE names it), or null.</summary>
        public string? To { get; init; }
    }

    /// <summary>A room did not relay what this person said (IRC's 404): it is moderated, the person is banned, or not in it under <c>+n</c>.</summary>
    public sealed class CannotSend(string room, CannotSendReason reason) : ChatEvent
    {
        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>Why.</summary>
        public CannotSendReason Reason { get; } = reason;
    }

    /// <summary>Someone in a room with this person went away (<see cref="Away"/>) or came back (null): IRC's away-notify.</summary>
    public sealed class AwayChanged(string nick, string? away) : ChatEvent
    {
        /// <summary>How IRC shows the person it is about (<c>user@host</c>).</summary>
        public PersonMask Mask { get; init; } = PersonMask.Hidden;

        /// <summary>Who.</summary>
        public string Nick { get; } = nick;

        /// <summary>The away message, or null when back.</summary>
        public string? Away { get; } = away;
    }

    /// <summary>A private message to this person.</summary>
    public sealed class PrivateMessage(string from, string text) : ChatEvent
    {
        /// <summary>How IRC shows the person it is about (<c>user@host</c>).</summary>
        public PersonMask Mask { get; init; } = PersonMask.Hidden;

        /// <summary>The sender's nick.</summary>
        public string From { get; } = from;

        /// <summary>The nick it was sent to, as the sender wrote it (IRC names the target); null when unknown.</summary>
        public string? To { get; init; }

        /// <summary>Whether it is a notice (IRC's NOTICE: never answered automatically).</summary>
        public bool IsNotice { get; init; }

        /// <summary>IRC's message tags sent with it (<c>msgid</c> and client-only tags, escaped), or null; for IRC clients that enabled message-tags.</summary>
        public string? Tags { get; init; }

        /// <summary>The sender, when it is on this node: told if the message can never be delivered (cluster mode).</summary>
        public IChatMember? Sender { get; init; }

        /// <summary>The sanitised text.</summary>
        public string Text { get; } = text;
    }

    /// <summary>A room this person was in stopped after a fault and lost its history; the session joins it anew.</summary>
    public sealed class RoomRestarting(string room) : ChatEvent
    {
        /// <summary>The room's name.</summary>
        public string Room { get; } = room;
    }

    /// <summary>Joining a restarted room again failed; the person may try later.</summary>
    public sealed class RoomRejoinFailed(string room) : ChatEvent
    {
        /// <summary>The room's name.</summary>
        public string Room { get; } = room;
    }

    /// <summary>The nick registry restarted, or this node was cut off from the cluster, and someone else took this person's nick meanwhile.</summary>
    public sealed class NickLost(string oldNick, string newNick, bool takenElsewhere = false) : ChatEvent
    {
        /// <summary>Whether it was taken on another node while this one was cut off from the cluster (else: during a registry restart).</summary>
        public bool TakenElsewhere { get; } = takenElsewhere;

        /// <summary>The nick held before the restart.</summary>
        public string OldNick { get; } = oldNick;

        /// <summary>The nick given instead.</summary>
        public string NewNick { get; } = newNick;
    }

    /// <summary>Something this person said will never reach people on other servers (cluster mode): <see cref="Why"/> says why.</summary>
    public sealed class NotDelivered(string where, string text, string why) : ChatEvent
    {
        /// <summary>Where it was said: <c>#room</c>, or <c>pm to NICK</c>.</summary>
        public string Where { get; } = where;

        /// <summary>The text not delivered.</summary>
        public string Text { get; } = text;

        /// <summary>Why: the outage backlog was full, or Redis refused it.</summary>
        public string Why { get; } = why;
    }

    /// <summary>The room's log in the cluster no longer held some entries when this server read it: they are lost here.</summary>
    public sealed class MissedLines(string room, long count) : ChatEvent
    {
        /// <summary>The room's name.</summary>
        public string Room { get; } = room;

        /// <summary>How many entries were missed.</summary>
        public long Count { get; } = count;
    }

    /// <summary>The cluster's Redis became unreachable (<see cref="IsPaused"/>) or reachable again: messages to people on other servers are paused or resume.</summary>
    public sealed class ClusterLinkChanged(bool isPaused) : ChatEvent
    {
        /// <summary>Whether messages to other servers are now paused.</summary>
        public bool IsPaused { get; } = isPaused;
    }

    private sealed record Encoded(IChatEventFormat Format, OutboundLine Line);
}
