using ChatServer.Chat;
using ChatServer.Protocol.Irc;

namespace ChatServer.Protocol;

/// <summary>How the line protocol writes chat events (docs/protocol.md): room lines, history, announcements, private messages, session news.</summary>
internal sealed class LineEventFormat : IChatEventFormat
{
    /// <summary>The one instance: events cache their encoding by format instance.</summary>
    public static LineEventFormat Instance { get; } = new();

    private LineEventFormat()
    {
    }

    /// <inheritdoc />
    public OutboundLine Format(ChatEvent chatEvent) => chatEvent switch
    {
        ChatEvent.RoomLine line => RoomLine(line),
        // Away news is for IRC clients that asked for it.
        ChatEvent.AwayChanged => OutboundLine.Empty,
        ChatEvent.HistoryLine line => IrcFormatting.StripForLineUsers(line.Text) switch
        {
            null => OutboundLine.Empty,
            var text when line.IsAction => ServerLines.HistoryAction(line.Room, line.At, line.Nick, text),
            var text => ServerLines.HistoryMessage(line.Room, line.At, line.Nick, text),
        },
        ChatEvent.HistoryReplay replay => OutboundLine.Concat(
        [
            ServerLines.Notice($"last {replay.Lines.Count} messages in {replay.Room}:"),
            .. replay.Lines.Select(line => line.Encode(this)),
            ServerLines.Notice($"end of history of {replay.Room}"),
        ]),
        ChatEvent.Joined joined => ServerLines.Notice($"{joined.Nick} joined {joined.Room}"),
        ChatEvent.Left left => ServerLines.Notice(LeftText(left)),
        ChatEvent.Renamed renamed => ServerLines.Notice($"{renamed.OldNick} is now known as {renamed.NewNick} in {renamed.Room}"),
        ChatEvent.TopicChanged { Text.Length: 0 } topic => ServerLines.Notice($"{topic.Nick} cleared the topic of {topic.Room}"),
        ChatEvent.TopicChanged topic => ServerLines.Notice($"{topic.Nick} set the topic of {topic.Room}: {IrcFormatting.StripForLineUsers(topic.Text)}"),
        ChatEvent.ModesChanged modes => ServerLines.Notice($"{modes.Nick} sets mode {string.Join(' ', [modes.Modes, .. modes.Arguments])} on {modes.Room}"),
        ChatEvent.Kicked kicked => ServerLines.Notice($"{kicked.Nick} kicked {(kicked.ToTarget ? "you" : kicked.Target)} from {kicked.Room}{(kicked.Reason is null ? "" : $" ({IrcFormatting.StripForLineUsers(kicked.Reason)})")}"),
        ChatEvent.Invited invited => ServerLines.Notice($"{invited.Nick} invites you to {invited.Room}; /join {invited.Room}"),
        ChatEvent.CannotSend cannot => ServerLines.Error($"cannot send to {cannot.Room}: {CannotSendText(cannot.Reason)}"),
        ChatEvent.PrivateMessage message when IrcFormatting.ActionText(message.Text) is { } action => ServerLines.PrivateAction(message.From, Plain(action)),
        ChatEvent.PrivateMessage message => IrcFormatting.StripForLineUsers(message.Text) is { } text ? ServerLines.PrivateMessage(message.From, text) : OutboundLine.Empty,
        ChatEvent.RoomRestarting room => ServerLines.Notice($"{room.Room} stopped after a fault and its history is lost; joining it anew"),
        ChatEvent.RoomRejoinFailed room => ServerLines.Error($"could not join {room.Room} again; /join {room.Room} to try later"),
        ChatEvent.NickLost { TakenElsewhere: true } lost => ServerLines.Notice($"while this server was cut off from the others, someone there took {lost.OldNick}; you are now known as {lost.NewNick}"),
        ChatEvent.NickLost lost => ServerLines.Notice($"the nick registry restarted and {lost.OldNick} was taken; you are now known as {lost.NewNick}"),
        ChatEvent.NotDelivered failed => ServerLines.Error($"not delivered to other servers ({failed.Why}): [{failed.Where}] {failed.Text}"),
        ChatEvent.MissedLines missed => ServerLines.Error($"missed {missed.Count} lines in {missed.Room}"),
        ChatEvent.ClusterLinkChanged { IsPaused: true } => ServerLines.Notice("messages to other servers are paused (the cluster cannot be reached); people on this server still hear you"),
        ChatEvent.ClusterLinkChanged => ServerLines.Notice("messages to other servers resume"),
        _ => throw new ArgumentOutOfRangeException(nameof(chatEvent), chatEvent.GetType().Name, "not a chat event the line protocol knows"),
    };

    private static string CannotSendText(CannotSendReason reason) => reason switch
    {
        CannotSendReason.Moderated => "it is moderated (+m)",
        CannotSendReason.Banned => "you are banned (+b)",
        _ => "you are not in it (+n)",
    };

    /// <summary>
    /// A room's line: IRC users' formatting codes never reach a terminal, and CTCP other than ACTION (a query
    /// for IRC clients) and tag-only messages are not shown at all.
    /// </summary>
    private static OutboundLine RoomLine(ChatEvent.RoomLine line) => (line.Kind, IrcFormatting.StripForLineUsers(line.Text)) switch
    {
        (LineKind.Tags, _) or (_, null) => OutboundLine.Empty,
        (LineKind.Notice, var text) => ServerLines.RoomNotice(line.Room, line.Nick, text),
        (LineKind.Action, var text) => ServerLines.RoomAction(line.Room, line.Nick, text),
        (_, var text) => ServerLines.RoomMessage(line.Room, line.Nick, text),
    };

    /// <summary>Text an IRC user wrote, as a line user sees it inside a notice: without IRC's codes (a CTCP becomes nothing).</summary>
    public static string Plain(string text) => IrcFormatting.StripForLineUsers(text) ?? "";

    private static string LeftText(ChatEvent.Left left) => left.Kind switch
    {
        LeaveKind.Part when left.Reason is null => $"{left.Nick} left {left.Room}",
        LeaveKind.Part => $"{left.Nick} left {left.Room} ({Plain(left.Reason)})",
        LeaveKind.Quit when left.Reason is null => $"{left.Nick} left {left.Room} (quit)",
        LeaveKind.Quit => $"{left.Nick} left {left.Room} (quit: {Plain(left.Reason)})",
        _ => $"{left.Nick} left {left.Room} (connection lost)",
    };
}
