using ChatServer.Chat;

namespace ChatServer.Protocol;

/// <summary>One parsed input line: a command, a message to the current room, or a parse error.</summary>
public abstract record Command
{
    /// <summary>A line that is not a command: a message to the current room.</summary>
    public sealed record Say(string Text) : Command;

    /// <summary><c>/nick NAME</c>.</summary>
    public sealed record Nick(string Name) : Command;

    /// <summary><c>/join #room [KEY]</c>; the key is for a room that has one (<c>+k</c>).</summary>
    public sealed record Join(string Room, string? Key = null) : Command;

    /// <summary><c>/part [#room]</c>; null means the current room.</summary>
    public sealed record Part(string? Room) : Command;

    /// <summary><c>/rooms</c>.</summary>
    public sealed record Rooms : Command;

    /// <summary><c>/who [#room]</c>; null means the current room.</summary>
    public sealed record Who(string? Room) : Command;

    /// <summary><c>/msg NICK text</c>.</summary>
    public sealed record PrivateMessage(string Target, string Text) : Command;

    /// <summary><c>/me text</c>.</summary>
    public sealed record Action(string Text) : Command;

    /// <summary><c>/ping [token]</c>.</summary>
    public sealed record Ping(string Token) : Command;

    /// <summary><c>/quit [reason]</c>.</summary>
    public sealed record Quit(string? Reason) : Command;

    /// <summary><c>/topic [text]</c>: without text, show the current room's topic; with, set it.</summary>
    public sealed record Topic(string? Text) : Command;

    /// <summary><c>/kick NICK [reason]</c>, in the current room.</summary>
    public sealed record Kick(string Target, string? Reason) : Command;

    /// <summary><c>/invite NICK [#room]</c>; null means the current room.</summary>
    public sealed record Invite(string Target, string? Room) : Command;

    /// <summary>
    /// A change of a room's modes: <c>/mode #room +m-t ...</c>, and the shorthands on the current room (null)
    /// <c>/op</c>, <c>/deop</c>, <c>/voice</c>, <c>/devoice</c>, <c>/ban MASK</c>, <c>/unban MASK</c>.
    /// </summary>
    public sealed record Mode(string? Room, IReadOnlyList<ModeChange> Changes) : Command
    {
        /// <inheritdoc />
        public bool Equals(Mode? other) => other is not null && other.Room == Room && other.Changes.SequenceEqual(Changes);

        /// <inheritdoc />
        public override int GetHashCode() => HashCode.Combine(Room, Changes.Count);
    }

    /// <summary><c>/mode #room</c>: show the room's modes.</summary>
    public sealed record ShowModes(string Room) : Command;

    /// <summary><c>/ban</c>: list the current room's bans.</summary>
    public sealed record Bans : Command;

    /// <summary><c>/help</c>.</summary>
    public sealed record Help : Command;

    /// <summary><c>/crash</c>: crash this client's worker. Honoured only when fault injection is on.</summary>
    public sealed record Crash : Command;

    /// <summary>A line that could not be parsed; <see cref="Message"/> says why, for a <c>! </c> line.</summary>
    public sealed record Invalid(string Message) : Command;

    /// <summary>An empty or blank line: nothing to do.</summary>
    public sealed record Empty : Command;
}
