using System.Globalization;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// The commands that only ask: <c>WHO</c>, <c>WHOIS</c>, <c>WHOWAS</c>, <c>ISON</c>, <c>USERHOST</c>,
/// <c>LUSERS</c>, <c>MOTD</c>, <c>TIME</c>, <c>VERSION</c>, <c>INFO</c>; anything else is 421.
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
        var people = (await irc.Session.People.CountAsync().ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture);
        var most = (await irc.Session.People.MostAsync().ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture);
        var rooms = (await irc.Session.People.ListRoomsAsync().ConfigureAwait(false)).Count.ToString(CultureInfo.InvariantCulture);
        irc.Reply(IrcNumerics.LUserClient, $"There are {people} users and 0 invisible on 1 servers");
        irc.Reply(IrcNumerics.LUserOp, "0", "operator(s) online");
        irc.Reply(IrcNumerics.LUserChannels, rooms, "channels formed");
        irc.Reply(IrcNumerics.LUserMe, $"I have {people} clients and 0 servers");
        irc.Reply(IrcNumerics.LocalUsers, people, most, $"Current local users {people}, max {most}");
        irc.Reply(IrcNumerics.GlobalUsers, people, most, $"Current global users {people}, max {most}");
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
                await WhowasAsync(message).ConfigureAwait(false);
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
            case "INFO":
                irc.Reply(IrcNumerics.Info, $"{IrcServer.Version}: the IRC front-end of SupervisedChat, an OTP-style supervised chat server for .NET");
                irc.Reply(IrcNumerics.EndOfInfo, "End of INFO list");
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

    /// <summary>WHO #room (its members) or WHO mask (people whose nick or nick!user@host matches; <c>*</c> or <c>0</c>: everyone): a 352 per person, then 315 with the mask as sent.</summary>
    private async Task WhoAsync(IrcMessage message)
    {
        var mask = message[0] is { Length: > 0 } given ? given : "*";
        if (mask.StartsWith('#'))
        {
            if (await irc.Session.WhoAsync(mask).ConfigureAwait(false) is { } members
                && (irc.Session.Rooms.Contains(members.Room, RoomName.Comparer) || await irc.Session.ModesAsync(members.Room).ConfigureAwait(false) is not { Secret: true }))
            {
                foreach (var member in members.Members)
                {
                    if (await irc.Session.People.FindAsync(member.Nick).ConfigureAwait(false) is { } person)
                    {
                        WhoReply(members.Room, member.Nick, person, member.Status);
                    }
                }
            }
        }
        else
        {
            var everyone = mask is "*" or "0";
            var wildcard = everyone || mask.AsSpan().IndexOfAny('*', '?') >= 0;
            HashSet<string>? roommates = null;
            foreach (var (nick, person) in (await irc.Session.People.ListAsync().ConfigureAwait(false)).OrderBy(p => p.Nick, NickName.Comparer))
            {
                if (!everyone && !Chat.MaskPattern.Wildcard(mask, nick) && !Chat.MaskPattern.Wildcard(mask, person.Mask.Format(nick)))
                {
                    continue;
                }

                // +i hides a person from masks (not from its exact nick) unless asked by someone in a room with it.
                if (wildcard && person.Status.IsInvisible && !NickName.Comparer.Equals(nick, irc.Nick)
                    && !(roommates ??= await RoommatesAsync().ConfigureAwait(false)).Contains(nick))
                {
                    continue;
                }

                WhoReply("*", nick, person);
            }
        }

        irc.Reply(IrcNumerics.EndOfWho, mask, "End of WHO list");
    }

    /// <summary>The nicks of everyone in a room with this person.</summary>
    private async Task<HashSet<string>> RoommatesAsync()
    {
        var nicks = new HashSet<string>(NickName.Comparer);
        foreach (var room in irc.Session.Rooms)
        {
            if (await irc.Session.WhoAsync(room).ConfigureAwait(false) is { } members)
            {
                nicks.UnionWith(members.Nicks);
            }
        }

        return nicks;
    }

    private void WhoReply(string room, string nick, Chat.IChatMember person, Chat.MemberStatus status = Chat.MemberStatus.None)
    {
        var mask = person.Mask;
        var flags = (person.Status.Away is null ? "H" : "G") + (person.Status.IsOperator ? "*" : "") + IrcChannels.Prefix(irc, status);
        irc.Reply(IrcNumerics.WhoReply, room, mask.UserFor(nick), mask.Host, irc.Server.Name, nick, flags, "0 " + (mask.RealName ?? nick));
    }

    /// <summary>WHOIS [server] nick: 311, 319 for oneself, 312, 313, 301 when away, 318 (401 for no one).</summary>
    private async Task WhoisAsync(IrcMessage message)
    {
        var asked = message.Parameters.Count > 1 ? message[1] : message[0];
        if (asked is not { Length: > 0 })
        {
            irc.Reply(IrcNumerics.NoNicknameGiven, "No nickname given");
            return;
        }

        if (!NickName.IsValid(asked) || await irc.Session.People.LookupAsync(asked).ConfigureAwait(false) is not { } found)
        {
            irc.Reply(IrcNumerics.NoSuchNick, asked, "No such nick/channel");
            irc.Reply(IrcNumerics.EndOfWhois, asked, "End of /WHOIS list");
            return;
        }

        var (nick, person) = found;
        var mask = person.Mask;
        irc.Reply(IrcNumerics.WhoisUser, nick, mask.UserFor(nick), mask.Host, "*", mask.RealName ?? nick);
        if (NickName.Comparer.Equals(nick, irc.Nick))
        {
            await SendOwnChannelsAsync(nick).ConfigureAwait(false);
        }

        irc.Reply(IrcNumerics.WhoisServer, nick, irc.Server.Name, IrcServer.NetworkName);
        if (person.Status.IsOperator)
        {
            irc.Reply(IrcNumerics.WhoisOperator, nick, "is an IRC operator");
        }

        if (person.Status.Away is { } away)
        {
            irc.Reply(IrcNumerics.Away, nick, away);
        }

        // Modern IRC: 318 names the nick exactly as the client sent it.
        irc.Reply(IrcNumerics.EndOfWhois, asked, "End of /WHOIS list");
    }

    /// <summary>
    /// RPL_WHOISCHANNELS for oneself: each room with the person's highest prefix there (all with multi-prefix),
    /// in as many lines as it takes. Only one's own: others' rooms, their secret ones and the +i, stay private.
    /// </summary>
    private async Task SendOwnChannelsAsync(string nick)
    {
        var channels = new List<string>();
        foreach (var room in irc.Session.Rooms)
        {
            var members = await irc.Session.WhoAsync(room).ConfigureAwait(false);
            var self = members?.Members.FirstOrDefault(member => NickName.Comparer.Equals(member.Nick, nick));
            channels.Add(IrcChannels.Prefix(irc, self?.Status ?? Chat.MemberStatus.None) + (members?.Room ?? room));
        }

        irc.ReplyWords(IrcNumerics.WhoisChannels, [nick], channels);
    }

    /// <summary>WHOWAS nick [count]: 314 and 312 per nick given up lately on this server, newest first (406 for none), then 369.</summary>
    private async Task WhowasAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } nick)
        {
            irc.Reply(IrcNumerics.NoNicknameGiven, "No nickname given");
            return;
        }

        var count = int.TryParse(message[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) ? limit : 0;
        var past = await irc.Session.People.WhowasAsync(held => Chat.MaskPattern.Wildcard(nick, held), count).ConfigureAwait(false);
        if (past.Count == 0)
        {
            irc.Reply(IrcNumerics.WasNoSuchNick, nick, "There was no such nickname");
        }

        foreach (var was in past)
        {
            irc.Reply(IrcNumerics.WhowasUser, was.Nick, was.Mask.UserFor(was.Nick), was.Mask.Host, "*", was.Mask.RealName ?? was.Nick);
            irc.Reply(IrcNumerics.WhoisServer, was.Nick, irc.Server.Name, was.At.UtcDateTime.ToString("R", CultureInfo.InvariantCulture));
        }

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
            if (NickName.IsValid(nick) && await irc.Session.People.FindAsync(nick).ConfigureAwait(false) is not null)
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
            if (NickName.IsValid(nick) && await irc.Session.People.FindAsync(nick).ConfigureAwait(false) is { } person)
            {
                replies.Add($"{nick}={(person.Status.Away is null ? '+' : '-')}{person.Mask.UserFor(nick)}@{person.Mask.Host}");
            }
        }

        irc.Reply(IrcNumerics.UserHost, string.Join(' ', replies));
    }
}
