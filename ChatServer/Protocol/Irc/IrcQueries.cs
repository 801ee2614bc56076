using System.Globalization;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// The commands that only ask: <c>WHO</c>, <c>WHOIS</c>, <c>WHOWAS</c>, <c>ISON</c>, <c>USERHOST</c>,
/// <c>LUSERS</c>, <c>MOTD</c>, <c>TIME</c>, <c>VERSION</c>; anything else is 421.
/// </summary>
internal sealed class IrcQueries(IrcConnection irc)
{
    /// <summary>RPL_ISUPPORT, a few tokens per line.</summary>
    public static void Support(IrcConnection irc)
    {
        foreach (var chunk in irc.Server.Support.Chunk(12))
        {
            irc.Reply(IrcNumerics.ISupport, [.. chunk, "are supported by this server"]);
        }
    }

    /// <summary>The LUSERS numerics (251, 252, 254, 255, 265, 266).</summary>
    public static async Task LusersAsync(IrcConnection irc)
    {
        var people = (await irc.Session.CountPeopleAsync().ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture);
        var rooms = (await irc.Session.ListRoomsAsync().ConfigureAwait(false)).Count.ToString(CultureInfo.InvariantCulture);
        irc.Reply(IrcNumerics.LUserClient, $"There are {people} users and 0 invisible on 1 servers");
        irc.Reply(IrcNumerics.LUserOp, "0", "operator(s) online");
        irc.Reply(IrcNumerics.LUserChannels, rooms, "channels formed");
        irc.Reply(IrcNumerics.LUserMe, $"I have {people} clients and 0 servers");
        irc.Reply(IrcNumerics.LocalUsers, people, people, $"Current local users {people}, max {people}");
        irc.Reply(IrcNumerics.GlobalUsers, people, people, $"Current global users {people}, max {people}");
    }

    /// <summary>Handles a query command, or answers 421.</summary>
    public async Task ExecuteAsync(IrcMessage message)
    {
        switch (message.Command)
        {
            case "WHO":
                await WhoAsync(message).ConfigureAwait(false);
                break;
            case "WHOIS":
                await WhoisAsync(message).ConfigureAwait(false);
                break;
            case "WHOWAS":
                Whowas(message);
                break;
            case "ISON":
                await IsonAsync(message).ConfigureAwait(false);
                break;
            case "USERHOST":
                await UserhostAsync(message).ConfigureAwait(false);
                break;
            case "LUSERS":
                await LusersAsync(irc).ConfigureAwait(false);
                break;
            case "MOTD":
                irc.Reply(IrcNumerics.NoMotd, "MOTD File is missing");
                break;
            case "TIME":
                irc.Reply(IrcNumerics.Time, irc.Server.Name, irc.Server.Time.GetUtcNow().ToString("dddd MMMM dd yyyy -- HH:mm:ss +00:00", CultureInfo.InvariantCulture));
                break;
            case "VERSION":
                irc.Reply(IrcNumerics.Version, IrcServer.Version, irc.Server.Name, "SupervisedChat IRC front-end");
                Support(irc);
                break;
            default:
                irc.Reply(IrcNumerics.UnknownCommand, message.Command, "Unknown command");
                break;
        }
    }

    /// <summary>WHO #room or WHO nick: a 352 per person, then 315.</summary>
    private async Task WhoAsync(IrcMessage message)
    {
        var mask = message[0] ?? "*";
        if (mask.StartsWith('#'))
        {
            if (await irc.Session.WhoAsync(mask).ConfigureAwait(false) is { } members)
            {
                foreach (var nick in members.Nicks)
                {
                    await WhoReplyAsync(members.Room, nick).ConfigureAwait(false);
                }
            }
        }
        else if (NickName.IsValid(mask))
        {
            await WhoReplyAsync("*", mask).ConfigureAwait(false);
        }

        irc.Reply(IrcNumerics.EndOfWho, mask, "End of WHO list");
    }

    private async Task WhoReplyAsync(string room, string nick)
    {
        if (await irc.Session.FindPersonAsync(nick).ConfigureAwait(false) is not { } person)
        {
            return;
        }

        var mask = person.Mask;
        var flags = person.AwayMessage is null ? "H" : "G";
        irc.Reply(IrcNumerics.WhoReply, room, mask.UserFor(nick), mask.Host, irc.Server.Name, nick, flags, "0 " + (mask.RealName ?? nick));
    }

    /// <summary>WHOIS [server] nick: 311, 312, 301 when away, 318 (401 for no one).</summary>
    private async Task WhoisAsync(IrcMessage message)
    {
        var nick = message.Parameters.Count > 1 ? message[1] : message[0];
        if (nick is not { Length: > 0 })
        {
            irc.Reply(IrcNumerics.NoNicknameGiven, "No nickname given");
            return;
        }

        if (!NickName.IsValid(nick) || await irc.Session.FindPersonAsync(nick).ConfigureAwait(false) is not { } person)
        {
            irc.Reply(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
            irc.Reply(IrcNumerics.EndOfWhois, nick, "End of /WHOIS list");
            return;
        }

        var mask = person.Mask;
        irc.Reply(IrcNumerics.WhoisUser, nick, mask.UserFor(nick), mask.Host, "*", mask.RealName ?? nick);
        if (NickName.Comparer.Equals(nick, irc.Nick) && irc.Session.Rooms.Count > 0)
        {
            irc.Reply(IrcNumerics.WhoisChannels, nick, string.Join(' ', irc.Session.Rooms));
        }

        irc.Reply(IrcNumerics.WhoisServer, nick, irc.Server.Name, IrcServer.NetworkName);
        if (person.AwayMessage is { } away)
        {
            irc.Reply(IrcNumerics.Away, nick, away);
        }

        irc.Reply(IrcNumerics.EndOfWhois, nick, "End of /WHOIS list");
    }

    /// <summary>WHOWAS: this server keeps no record of past nicks (docs/irc.md).</summary>
    private void Whowas(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } nick)
        {
            irc.Reply(IrcNumerics.NoNicknameGiven, "No nickname given");
            return;
        }

        irc.Reply(IrcNumerics.WasNoSuchNick, nick, "There was no such nickname");
        irc.Reply(IrcNumerics.EndOfWhowas, nick, "End of WHOWAS");
    }

    /// <summary>ISON nick...: 303 with those connected.</summary>
    private async Task IsonAsync(IrcMessage message)
    {
        if (message.Parameters.Count == 0)
        {
            irc.NeedMoreParams("ISON");
            return;
        }

        var present = new List<string>();
        foreach (var nick in message.Parameters.SelectMany(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Take(50))
        {
            if (NickName.IsValid(nick) && await irc.Session.FindPersonAsync(nick).ConfigureAwait(false) is not null)
            {
                present.Add(nick);
            }
        }

        irc.Reply(IrcNumerics.IsOn, string.Join(' ', present));
    }

    /// <summary>USERHOST nick... (up to 5): 302 with <c>nick=+user@host</c> (<c>-</c> when away).</summary>
    private async Task UserhostAsync(IrcMessage message)
    {
        if (message.Parameters.Count == 0)
        {
            irc.NeedMoreParams("USERHOST");
            return;
        }

        var replies = new List<string>();
        foreach (var nick in message.Parameters.Take(5))
        {
            if (NickName.IsValid(nick) && await irc.Session.FindPersonAsync(nick).ConfigureAwait(false) is { } person)
            {
                replies.Add($"{nick}={(person.AwayMessage is null ? '+' : '-')}{person.Mask.UserFor(nick)}@{person.Mask.Host}");
            }
        }

        irc.Reply(IrcNumerics.UserHost, string.Join(' ', replies));
    }
}
