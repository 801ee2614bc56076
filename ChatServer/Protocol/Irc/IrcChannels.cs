using System.Globalization;

namespace ChatServer.Protocol.Irc;

/// <summary>The channel commands: <c>JOIN</c> (comma lists, <c>JOIN 0</c>), <c>PART</c>, <c>NAMES</c>, <c>TOPIC</c>, <c>LIST</c>, <c>MODE</c>, <c>KICK</c>, <c>INVITE</c>.</summary>
internal sealed class IrcChannels(IrcConnection irc)
{
    /// <summary>JOIN #a,#b [key,key] or JOIN 0 (leave every room).</summary>
    public async Task JoinAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } targets)
        {
            irc.NeedMoreParams("JOIN");
            return;
        }

        if (targets == "0")
        {
            foreach (var room in irc.Session.Rooms)
            {
                await PartOneAsync(room, reason: null).ConfigureAwait(false);
            }

            return;
        }

        var keys = message[1]?.Split(',') ?? [];
        foreach (var (room, index) in targets.Split(',', StringSplitOptions.RemoveEmptyEntries).Take(IrcServer.MaxTargets).Select((room, index) => (room, index)))
        {
            if (!RoomName.IsValid(room))
            {
                irc.Reply(IrcNumerics.NoSuchChannel, room, "No such channel");
                continue;
            }

            if (irc.Session.Rooms.Contains(room, RoomName.Comparer))
            {
                continue;
            }

            var joined = await irc.Session.JoinAsync(room, index < keys.Length ? keys[index] : null).ConfigureAwait(false);
            if (joined.IsRefused)
            {
                // Moderation (the moderation branch): refused joins get their numeric, nothing else.
                irc.Reply(joined.Refusal switch { Chat.JoinRefusal.Banned => IrcNumerics.BannedFromChan, Chat.JoinRefusal.InviteOnly => IrcNumerics.InviteOnlyChan, Chat.JoinRefusal.BadKey => IrcNumerics.BadChannelKey, _ => IrcNumerics.ChannelIsFull }, joined.Room, $"Cannot join channel ({joined.Refusal})");
                continue;
            }

            irc.FromSelf("JOIN", joined.Room);
            await SendTopicAsync(joined.Room, quietWhenNone: true).ConfigureAwait(false);
            await SendNamesAsync(joined.Room).ConfigureAwait(false);
        }
    }

    /// <summary>PART #a,#b [:reason].</summary>
    public async Task PartAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } targets)
        {
            irc.NeedMoreParams("PART");
            return;
        }

        foreach (var room in targets.Split(',', StringSplitOptions.RemoveEmptyEntries).Take(IrcServer.MaxTargets))
        {
            await PartOneAsync(room, message[1] is { Length: > 0 } reason ? reason : null).ConfigureAwait(false);
        }
    }

    /// <summary>NAMES [#a,#b]: 353 per room the person may see, then 366.</summary>
    public async Task NamesAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } targets)
        {
            irc.Reply(IrcNumerics.EndOfNames, "*", "End of /NAMES list");
            return;
        }

        foreach (var room in targets.Split(',', StringSplitOptions.RemoveEmptyEntries).Take(IrcServer.MaxTargets))
        {
            await SendNamesAsync(room).ConfigureAwait(false);
        }
    }

    /// <summary>TOPIC #room [:text].</summary>
    public async Task TopicAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } room)
        {
            irc.NeedMoreParams("TOPIC");
            return;
        }

        if (!irc.Session.Rooms.Contains(room, RoomName.Comparer))
        {
            irc.Reply(IrcNumerics.NotOnChannel, room, "You're not on that channel");
            return;
        }

        if (message.Parameters.Count < 2)
        {
            await SendTopicAsync(room, quietWhenNone: false).ConfigureAwait(false);
            return;
        }

        irc.Reply(IrcNumerics.ChanOPrivsNeeded, room, "You're not channel operator");
    }

    /// <summary>LIST [#a,#b]: 321, a 322 per room with its member count and topic, 323.</summary>
    public async Task ListAsync(IrcMessage message)
    {
        var wanted = message[0] is { Length: > 0 } filter ? new HashSet<string>(filter.Split(','), RoomName.Comparer) : null;
        irc.Reply(IrcNumerics.ListStart, "Channel", "Users  Name");
        foreach (var (room, members) in await irc.Session.ListRoomsAsync().ConfigureAwait(false))
        {
            // An empty room (a #lobby nobody is in) does not exist for IRC.
            if (members > 0 && (wanted is null || wanted.Contains(room)))
            {
                irc.Reply(IrcNumerics.List, room, members.ToString(CultureInfo.InvariantCulture), "");
            }
        }

        irc.Reply(IrcNumerics.ListEnd, "End of /LIST");
    }

    /// <summary>MODE #room [changes] or MODE nick [+i|-i].</summary>
    public Task ModeAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } target)
        {
            irc.NeedMoreParams("MODE");
            return Task.CompletedTask;
        }

        if (!target.StartsWith('#'))
        {
            UserMode(target, message[1]);
            return Task.CompletedTask;
        }

        if (!irc.Session.Rooms.Contains(target, RoomName.Comparer) && message.Parameters.Count > 1)
        {
            irc.Reply(IrcNumerics.NotOnChannel, target, "You're not on that channel");
            return Task.CompletedTask;
        }

        if (message.Parameters.Count < 2)
        {
            irc.Reply(IrcNumerics.ChannelModeIs, target, "+nt");
            return Task.CompletedTask;
        }

        irc.Reply(IrcNumerics.ChanOPrivsNeeded, target, "You're not channel operator");
        return Task.CompletedTask;
    }

    /// <summary>KICK #room nick [:reason].</summary>
    public Task KickAsync(IrcMessage message)
    {
        if (message.Parameters.Count < 2)
        {
            irc.NeedMoreParams("KICK");
            return Task.CompletedTask;
        }

        irc.Reply(IrcNumerics.ChanOPrivsNeeded, message[0]!, "You're not channel operator");
        return Task.CompletedTask;
    }

    /// <summary>INVITE nick #room.</summary>
    public Task InviteAsync(IrcMessage message)
    {
        if (message.Parameters.Count < 2)
        {
            irc.NeedMoreParams("INVITE");
            return Task.CompletedTask;
        }

        irc.Reply(IrcNumerics.ChanOPrivsNeeded, message[1]!, "You're not channel operator");
        return Task.CompletedTask;
    }

    private void UserMode(string nick, string? change)
    {
        if (!NickName.Comparer.Equals(nick, irc.Nick))
        {
            irc.Reply(IrcNumerics.UsersDontMatch, "Can't change mode for other users");
            return;
        }

        if (change is null)
        {
            irc.Reply(IrcNumerics.UModeIs, "+" + (irc.Link.Status.IsInvisible ? "i" : "") + (irc.Link.Status.IsOperator ? "o" : ""));
            return;
        }

        var adding = true;
        var applied = "";
        foreach (var c in change)
        {
            switch (c)
            {
                case '+' or '-':
                    adding = c == '+';
                    break;
                case 'i' when irc.Link.Status.IsInvisible != adding:
                    irc.Link.Status = irc.Link.Status with { IsInvisible = adding };
                    applied += (adding ? "+" : "-") + "i";
                    break;
                case 'i':
                    break;
                default:
                    irc.Reply(IrcNumerics.UModeUnknownFlag, "Unknown MODE flag");
                    break;
            }
        }

        if (applied.Length > 0)
        {
            irc.FromSelf("MODE", irc.Target, applied);
        }
    }

    private async Task PartOneAsync(string room, string? reason)
    {
        var parted = await irc.Session.PartAsync(room, reason).ConfigureAwait(false);
        if (parted.Room is null)
        {
            irc.Reply(IrcNumerics.NotOnChannel, room, "You're not on that channel");
            return;
        }

        if (reason is null)
        {
            irc.FromSelf("PART", parted.Room);
        }
        else
        {
            irc.FromSelf("PART", parted.Room, reason);
        }
    }

    private Task SendTopicAsync(string room, bool quietWhenNone)
    {
        if (!quietWhenNone)
        {
            irc.Reply(IrcNumerics.NoTopic, room, "No topic is set");
        }

        return Task.CompletedTask;
    }

    private async Task SendNamesAsync(string room)
    {
        var members = await irc.Session.WhoAsync(room).ConfigureAwait(false);
        if (members is not null)
        {
            // Several 353 lines when the room is large: each within IRC's 512 bytes.
            foreach (var chunk in members.Nicks.Chunk(30))
            {
                irc.Reply(IrcNumerics.NamReply, "=", members.Room, string.Join(' ', chunk));
            }
        }

        irc.Reply(IrcNumerics.EndOfNames, members?.Room ?? room, "End of /NAMES list");
    }
}
