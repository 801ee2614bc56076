using System.Globalization;

namespace ChatServer.Protocol;

/// <summary>
/// Every line the server sends, in one place. Room lines start with <c>[#room]</c>, private
/// messages with <c>[pm]</c>, notices with <c>* </c> and errors with <c>! </c>; a user's text only
/// ever appears after a sender prefix, so it can never pass for a notice.
/// </summary>
public static class ServerLines
{
    /// <summary>The lines <c>/help</c> answers with.</summary>
    public static IReadOnlyList<string> HelpText { get; } =
    [
        "* commands:",
        "*   /nick NAME            change your nick (1-20 of letters, digits, _ and -; a letter or _ first)",
        "*   /join #ROOM [KEY]     join or create a room and make it current (KEY: for a room that has one)",
        "*   /part [#ROOM]         leave a room (default: the current one)",
        "*   /rooms                list rooms with their member counts",
        "*   /who [#ROOM]          list the members of a room (@ operator, + voiced)",
        "*   /topic [TEXT]         show the current room's topic, or set it",
        "*   /invite NICK [#ROOM]  invite someone to a room (default: the current one)",
        "*   /msg NICK TEXT        send a private message",
        "*   /me TEXT              describe an action in the current room",
        "*   /ping [TOKEN]         answers * pong TOKEN once everything you sent before was delivered",
        "*   /quit [REASON]        leave the server",
        "*   //TEXT                send a message that starts with /",
        "* any other line is a message to your current room",
        "* operators of a room (whoever opened it; @ in /who) also have, on the current room:",
        "*   /kick NICK [REASON]   remove someone",
        "*   /ban [MASK]           ban nick!user@host (* and ? match anything), or list the bans",
        "*   /unban MASK           lift a ban",
        "*   /op NICK, /deop NICK  make someone an operator, or not",
        "*   /voice NICK, /devoice NICK   let someone speak when the room is moderated, or not",
        "*   /mode #ROOM [MODES]   show or change modes: +m moderated, +t topic by operators, +n no messages",
        "*                         from outside, +i invite-only, +s secret, +k KEY, +l LIMIT; - removes one",
    ];

    /// <summary><c>[#room] &lt;nick&gt; text</c>.</summary>
    public static OutboundLine RoomMessage(string room, string nick, string text) => OutboundLine.From($"[{room}] <{nick}> {text}");

    /// <summary><c>[#room] -nick- text</c>: a notice (IRC's NOTICE to a room).</summary>
    public static OutboundLine RoomNotice(string room, string nick, string text) => OutboundLine.From($"[{room}] -{nick}- {text}");

    /// <summary><c>[#room] * nick text</c>.</summary>
    public static OutboundLine RoomAction(string room, string nick, string text) => OutboundLine.From($"[{room}] * {nick} {text}");

    /// <summary>A replayed room message, marked with its time: <c>[#room] (hh:mm:ss) &lt;nick&gt; text</c>.</summary>
    public static OutboundLine HistoryMessage(string room, DateTimeOffset at, string nick, string text) =>
        OutboundLine.From($"[{room}] ({Time(at)}) <{nick}> {text}");

    /// <summary>A replayed action: <c>[#room] (hh:mm:ss) * nick text</c>.</summary>
    public static OutboundLine HistoryAction(string room, DateTimeOffset at, string nick, string text) =>
        OutboundLine.From($"[{room}] ({Time(at)}) * {nick} {text}");

    /// <summary><c>[pm] &lt;nick&gt; text</c>.</summary>
    public static OutboundLine PrivateMessage(string from, string text) => OutboundLine.From($"[pm] <{from}> {text}");

    /// <summary><c>[pm] * nick text</c>: an action in a private message (an IRC user's CTCP ACTION).</summary>
    public static OutboundLine PrivateAction(string from, string text) => OutboundLine.From($"[pm] * {from} {text}");

    /// <summary><c>* text</c>.</summary>
    public static OutboundLine Notice(string text) => OutboundLine.From($"* {text}");

    /// <summary><c>! text</c>.</summary>
    public static OutboundLine Error(string text) => OutboundLine.From($"! {text}");

    // Fixed colons: in a custom format ':' is the culture's time separator, which is not ':' everywhere.
    private static string Time(DateTimeOffset at) => at.ToString("HH':'mm':'ss", CultureInfo.InvariantCulture);
}
