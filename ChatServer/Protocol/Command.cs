namespace ChatServer.Protocol;

/// <summary>One parsed input line: a command, a message to the current room, or a parse error.</summary>
public abstract record Command
{
    /// <summary>A line that is not a command: a message to the current room.</summary>
    public sealed record Say(string Text) : Command;

    /// <summary><c>/nick NAME</c>.</summary>
    public sealed record Nick(string Name) : Command;

    /// <summary><c>/join #room</c>.</summary>
    public sealed record Join(string Room) : Command;

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

    /// <summary><c>/help</c>.</summary>
    public sealed record Help : Command;

    /// <summary><c>/crash</c>: crash this client's worker. Honoured only when fault injection is on.</summary>
    public sealed record Crash : Command;

    /// <summary>A line that could not be parsed; <see cref="Message"/> says why, for a <c>! </c> line.</summary>
    public sealed record Invalid(string Message) : Command;

    /// <summary>An empty or blank line: nothing to do.</summary>
    public sealed record Empty : Command;
}
