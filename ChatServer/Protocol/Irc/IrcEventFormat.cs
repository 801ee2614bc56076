using System.Globalization;
using ChatServer.Chat;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// How IRC writes chat events, for one combination of the capabilities that change it (server-time,
/// batch, message-tags): <see cref="IrcServer.FormatFor"/> hands out one shared instance per
/// combination, so a room's line is written once per combination, not once per recipient.
/// A recipient's own nick is never needed: private messages carry their target, and server news goes to <c>*</c>.
/// </summary>
internal sealed class IrcEventFormat(IrcServer server, IrcCapabilities capabilities) : IChatEventFormat
{
    // What an IRC client can send to one target in IRC's 512 bytes: "PRIVMSG " target " " text CR LF (a one-word text needs no colon).
    private static int MaxTextBytes(string target) => IrcMessage.MaxBodyBytes - "PRIVMSG  \r\n".Length - target.Length;

    /// <summary>The capabilities this format writes for.</summary>
    public IrcCapabilities Capabilities { get; } = capabilities;

    private bool ServerTime => Capabilities.HasFlag(IrcCapabilities.ServerTime);

    /// <inheritdoc />
    public OutboundLine Format(ChatEvent chatEvent) => chatEvent switch
    {
        ChatEvent.RoomLine { Kind: LineKind.Tags } line => Capabilities.HasFlag(IrcCapabilities.MessageTags)
            ? OutboundLine.From(IrcLine.Build(Tags(server.Time.GetUtcNow(), line.Tags), line.Mask.Format(line.Nick), "TAGMSG", line.Room))
            : OutboundLine.Empty,
        ChatEvent.RoomLine line => Message(Tags(server.Time.GetUtcNow(), line.Tags), line.Mask.Format(line.Nick), line.Kind == LineKind.Notice ? "NOTICE" : "PRIVMSG", line.Room, line.Text, line.IsAction),
        ChatEvent.HistoryReplay replay => History(replay),
        ChatEvent.HistoryLine line => HistoryLine(line, batch: null),
        ChatEvent.Joined { Away: { } away } joined when Capabilities.HasFlag(IrcCapabilities.AwayNotify) => OutboundLine.Concat(
        [
            Line(joined.Mask.Format(joined.Nick), "JOIN", joined.Room),
            Line(joined.Mask.Format(joined.Nick), "AWAY", away),
        ]),
        ChatEvent.Joined joined => Line(joined.Mask.Format(joined.Nick), "JOIN", joined.Room),
        ChatEvent.AwayChanged changed when !Capabilities.HasFlag(IrcCapabilities.AwayNotify) => OutboundLine.Empty,
        ChatEvent.AwayChanged { Away: { } away } changed => Line(changed.Mask.Format(changed.Nick), "AWAY", away),
        ChatEvent.AwayChanged changed => OutboundLine.From(IrcLine.Build(null, changed.Mask.Format(changed.Nick), "AWAY")),
        ChatEvent.Left { Kind: LeaveKind.Part } left => left.Reason is null
            ? Line(left.Mask.Format(left.Nick), "PART", left.Room)
            : Line(left.Mask.Format(left.Nick), "PART", left.Room, left.Reason),
        ChatEvent.Left left => Line(left.Mask.Format(left.Nick), "QUIT", QuitText(left)),
        ChatEvent.Renamed renamed => Line(renamed.Mask.Format(renamed.OldNick), "NICK", renamed.NewNick),
        ChatEvent.PrivateMessage message => Message(Tags(server.Time.GetUtcNow(), message.Tags), message.Mask.Format(message.From), message.IsNotice ? "NOTICE" : "PRIVMSG", message.To ?? "*", message.Text, isAction: false),
        ChatEvent.TopicChanged topic => Line(topic.Mask.Format(topic.Nick), "TOPIC", topic.Room, topic.Text),
        ChatEvent.ModesChanged modes => Line(modes.Mask.Format(modes.Nick), "MODE", [modes.Room, modes.Modes, .. modes.Arguments]),
        ChatEvent.Kicked kicked => Line(kicked.Mask.Format(kicked.Nick), "KICK", kicked.Room, kicked.Target, kicked.Reason ?? kicked.Nick),
        ChatEvent.Invited invited => Line(invited.Mask.Format(invited.Nick), "INVITE", invited.To ?? "*", invited.Room),
        ChatEvent.CannotSend cannot => Line(server.Name, IrcNumerics.CannotSendToChan, "*", cannot.Room, $"Cannot send to channel ({cannot.Reason})"),
        ChatEvent.NickLost lost => Line($"{lost.OldNick}!{lost.OldNick}@{server.Name}", "NICK", lost.NewNick),
        ChatEvent.RoomRestarting room => Notice($"{room.Room} stopped after a fault and its history is lost; joining it anew"),
        ChatEvent.RoomRejoinFailed room => Notice($"could not join {room.Room} again; JOIN {room.Room} to try later"),
        ChatEvent.NotDelivered failed => Notice($"not delivered to other servers ({failed.Why}): [{failed.Where}] {failed.Text}"),
        ChatEvent.MissedLines missed => Notice($"missed {missed.Count} lines in {missed.Room}"),
        ChatEvent.ClusterLinkChanged { IsPaused: true } => Notice("messages to other servers are paused (the cluster cannot be reached); people on this server still hear you"),
        ChatEvent.ClusterLinkChanged => Notice("messages to other servers resume"),
        _ => throw new ArgumentOutOfRangeException(nameof(chatEvent), chatEvent.GetType().Name, "not a chat event IRC knows"),
    };

    /// <summary>
    /// One message as IRC writes it: an action as CTCP ACTION, and text longer than one IRC line holds
    /// (a line user's message) split at character boundaries into several.
    /// </summary>
    public static OutboundLine Message(string? tags, string source, string command, string target, string text, bool isAction)
    {
        // Text an IRC client could have sent is relayed whole (as other servers do, the source may take the line past 512);
        // a line user's longer message is split into what an IRC client could have sent.
        var pieces = IrcLine.Split(text, MaxTextBytes(target) - (isAction ? "\u0001ACTION \u0001".Length : 0)).ToList();
        if (pieces.Count == 1)
        {
            return OutboundLine.From(IrcLine.Build(tags, source, command, target, isAction ? IrcFormatting.Action(text) : text));
        }

        return OutboundLine.Concat([.. pieces.Select(piece => OutboundLine.From(IrcLine.Build(tags, source, command, target, isAction ? IrcFormatting.Action(piece) : piece)))]);
    }

    /// <summary>The tags of a relayed message: <c>time</c> with server-time, the message's own tags (<paramref name="messageTags"/>) with message-tags; null for none.</summary>
    public string? Tags(DateTimeOffset at, string? messageTags) =>
        (TimeTag(at), Capabilities.HasFlag(IrcCapabilities.MessageTags) ? messageTags : null) switch
        {
            (null, var own) => own,
            (var time, null) => time,
            (var time, var own) => time + ";" + own,
        };

    /// <summary>The <c>time</c> tag for <paramref name="at"/> when server-time is on; null otherwise.</summary>
    public string? TimeTag(DateTimeOffset at) => ServerTime ? "time=" + Timestamp(at) : null;

    /// <summary>An IRCv3 timestamp: UTC, milliseconds (<c>2026-12-07T01:02:03.456Z</c>).</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH':'mm':'ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string QuitText(ChatEvent.Left left) => left.Kind switch
    {
        LeaveKind.Quit when left.Reason is null => "Quit",
        LeaveKind.Quit => "Quit: " + left.Reason,
        _ => "Connection lost",
    };

    private static OutboundLine Line(string source, string command, params ReadOnlySpan<string> parameters) =>
        OutboundLine.From(IrcLine.Build(null, source, command, parameters));

    private OutboundLine Notice(string text) => OutboundLine.From(IrcLine.Build(null, server.Name, "NOTICE", "*", text));

    /// <summary>A joiner's history: in a <c>chathistory</c> batch with batch, time-stamped with server-time, else with the time in the text.</summary>
    private OutboundLine History(ChatEvent.HistoryReplay replay)
    {
        if (!Capabilities.HasFlag(IrcCapabilities.Batch))
        {
            return OutboundLine.Concat([.. replay.Lines.Select(line => HistoryLine(line, batch: null))]);
        }

        var id = "h" + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()));
        return OutboundLine.Concat(
        [
            OutboundLine.From(IrcLine.Build(null, server.Name, "BATCH", "+" + id, "chathistory", replay.Room)),
            .. replay.Lines.Select(line => HistoryLine(line, id)),
            OutboundLine.From(IrcLine.Build(null, server.Name, "BATCH", "-" + id)),
        ]);
    }

    private OutboundLine HistoryLine(ChatEvent.HistoryLine line, string? batch)
    {
        var tags = (batch, TimeTag(line.At)) switch
        {
            (null, var time) => time,
            (var id, null) => "batch=" + id,
            (var id, var time) => $"batch={id};{time}",
        };
        var text = ServerTime ? line.Text : $"[{line.At.ToString("HH':'mm':'ss", CultureInfo.InvariantCulture)}] {line.Text}";
        return Message(tags, $"{line.Nick}!{line.Nick}@history", "PRIVMSG", line.Room, text, line.IsAction);
    }
}
