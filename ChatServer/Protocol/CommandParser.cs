using ChatServer.Chat;

namespace ChatServer.Protocol;

/// <summary>
/// Turns one input line into a <see cref="Command"/>. A line starting with <c>/</c> is a command
/// (<c>//text</c> sends <c>/text</c> as a message); any other non-blank line is a message. Never
/// throws: a bad line becomes <see cref="Command.Invalid"/> with a message that says what was wrong.
/// </summary>
public static class CommandParser
{
    /// <summary>Parses <paramref name="line"/> (already decoded and sanitised, without its line ending).</summary>
    public static Command Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return new Command.Empty();
        }

        if (line[0] != '/')
        {
            return new Command.Say(line);
        }

        if (line.StartsWith("//", StringComparison.Ordinal))
        {
            return new Command.Say(line[1..]);
        }

        var verb = SplitWord(line.AsSpan(1), out var rest);
        var argument = rest.Trim().ToString();
        return verb.ToLowerInvariant() switch
        {
            "nick" => ParseNick(argument),
            "join" => ParseJoin(argument),
            "part" => ParseOptionalRoom(argument, "part", room => new Command.Part(room)),
            "who" => ParseOptionalRoom(argument, "who", room => new Command.Who(room)),
            "rooms" => argument.Length == 0 ? new Command.Rooms() : Usage("/rooms takes no arguments"),
            "msg" => ParseMessage(argument),
            "me" => argument.Length > 0 ? new Command.Action(argument) : Usage("usage: /me TEXT"),
            "ping" => new Command.Ping(argument),
            "quit" => new Command.Quit(argument.Length > 0 ? argument : null),
            "topic" => new Command.Topic(argument.Length > 0 ? argument : null),
            "kick" => ParseKick(argument),
            "invite" => ParseInvite(argument),
            "op" => ParseStatus(argument, "op", new ModeChange(true, 'o')),
            "deop" => ParseStatus(argument, "deop", new ModeChange(false, 'o')),
            "voice" => ParseStatus(argument, "voice", new ModeChange(true, 'v')),
            "devoice" => ParseStatus(argument, "devoice", new ModeChange(false, 'v')),
            "ban" => argument.Length == 0 ? new Command.Bans() : ParseBan(argument, "ban", add: true),
            "unban" => ParseBan(argument, "unban", add: false),
            "mode" => ParseMode(argument),
            "help" => new Command.Help(),
            "crash" => new Command.Crash(),
            "" => Usage("empty command; type /help for commands, or // to send a line starting with /"),
            _ => Usage($"unknown command /{verb}; type /help for commands"),
        };
    }

    private static Command ParseNick(string argument)
    {
        if (argument.Length == 0 || argument.Contains(' '))
        {
            return Usage("usage: /nick NAME");
        }

        return NickName.IsValid(argument)
            ? new Command.Nick(argument)
            : Usage($"invalid nick: a nick is 1 to {NickName.MaxLength} of letters, digits, _ and -, starting with a letter or _");
    }

    private static Command ParseJoin(string argument)
    {
        var words = Words(argument);

        // A second room name is not a key: joining two rooms at once is not a thing here.
        if (words.Length is 0 or > 2 || (words.Length == 2 && words[1].StartsWith('#')))
        {
            return Usage("usage: /join #ROOM [KEY]");
        }

        return RoomName.IsValid(words[0]) ? new Command.Join(words[0], words.Length == 2 ? words[1] : null) : InvalidRoom();
    }

    private static Command ParseKick(string argument)
    {
        var nick = SplitWord(argument, out var rest);
        var reason = rest.Trim();
        if (nick.Length == 0)
        {
            return Usage("usage: /kick NICK [REASON]");
        }

        return NickName.IsValid(nick) ? new Command.Kick(nick, reason.IsEmpty ? null : reason.ToString()) : Usage($"invalid nick: {nick}");
    }

    private static Command ParseInvite(string argument)
    {
        var words = Words(argument);
        if (words.Length is 0 or > 2)
        {
            return Usage("usage: /invite NICK [#ROOM]");
        }

        if (!NickName.IsValid(words[0]))
        {
            return Usage($"invalid nick: {words[0]}");
        }

        return words.Length == 1 ? new Command.Invite(words[0], null)
            : RoomName.IsValid(words[1]) ? new Command.Invite(words[0], words[1])
            : InvalidRoom();
    }

    private static Command ParseStatus(string argument, string verb, ModeChange change)
    {
        if (argument.Length == 0 || argument.Contains(' '))
        {
            return Usage($"usage: /{verb} NICK");
        }

        return NickName.IsValid(argument) ? new Command.Mode(null, [change with { Argument = argument }]) : Usage($"invalid nick: {argument}");
    }

    private static Command ParseBan(string argument, string verb, bool add)
    {
        if (argument.Length == 0 || argument.Contains(' '))
        {
            return Usage($"usage: /{verb} MASK");
        }

        return MaskPattern.IsValid(argument)
            ? new Command.Mode(null, [new ModeChange(add, 'b', argument)])
            : Usage($"invalid mask: a mask is nick!user@host, up to {MaskPattern.MaxLength} characters, * and ? as wildcards");
    }

    private static Command ParseMode(string argument)
    {
        var words = Words(argument);
        if (words.Length == 0 || (words.Length > 1 && words[1][0] is not ('+' or '-')))
        {
            return Usage("usage: /mode #ROOM [+MODES-MODES ARGUMENTS]");
        }

        if (!RoomName.IsValid(words[0]))
        {
            return InvalidRoom();
        }

        return words.Length == 1 ? new Command.ShowModes(words[0]) : new Command.Mode(words[0], ModeChange.Parse(words[1..]));
    }

    private static string[] Words(string argument) => argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static Command ParseOptionalRoom(string argument, string verb, Func<string?, Command> create)
    {
        if (argument.Length == 0)
        {
            return create(null);
        }

        if (argument.Contains(' '))
        {
            return Usage($"usage: /{verb} [#ROOM]");
        }

        return RoomName.IsValid(argument) ? create(argument) : InvalidRoom();
    }

    private static Command ParseMessage(string argument)
    {
        var nick = SplitWord(argument, out var text);
        var message = text.Trim();
        if (nick.Length == 0 || message.IsEmpty)
        {
            return Usage("usage: /msg NICK TEXT");
        }

        return NickName.IsValid(nick)
            ? new Command.PrivateMessage(nick, message.ToString())
            : Usage($"invalid nick: {nick}");
    }

    private static string SplitWord(ReadOnlySpan<char> text, out ReadOnlySpan<char> rest)
    {
        var space = text.IndexOf(' ');
        rest = space < 0 ? [] : text[(space + 1)..];
        return (space < 0 ? text : text[..space]).ToString();
    }

    private static Command.Invalid InvalidRoom() =>
        Usage($"invalid room name: a room is # followed by 1 to {RoomName.MaxLength} of letters, digits, _ and -");

    private static Command.Invalid Usage(string message) => new(message);
}
