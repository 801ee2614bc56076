using System.Globalization;
using ChatServer.Chat;

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
                // A refused join gets its numeric and nothing else.
                var (numeric, mode) = joined.Refusal switch
                {
                    JoinRefusal.Banned => (IrcNumerics.BannedFromChan, "+b"),
                    JoinRefusal.InviteOnly => (IrcNumerics.InviteOnlyChan, "+i"),
                    JoinRefusal.BadKey => (IrcNumerics.BadChannelKey, "+k"),
                    _ => (IrcNumerics.ChannelIsFull, "+l"),
                };
                irc.Reply(numeric, joined.Room, $"Cannot join channel ({mode})");
                continue;
            }

            irc.FromSelf("JOIN", joined.Room);
            if (joined.Topic is { } topic)
            {
                SendTopic(joined.Room, topic);
            }

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

    /// <summary>TOPIC #room [:text]: 332/333 or 331; with text (empty: cleared), set by an operator when the room is +t.</summary>
    public async Task TopicAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } room)
        {
            irc.NeedMoreParams("TOPIC");
            return;
        }

        if (message.Parameters.Count < 2)
        {
            var query = await irc.Session.TopicAsync(room).ConfigureAwait(false);
            if (query.Result != ModerationResult.Done)
            {
                Refuse(query.Result, room, null);
            }
            else if (!irc.Session.Rooms.Contains(room, RoomName.Comparer))
            {
                irc.Reply(IrcNumerics.NotOnChannel, room, "You're not on that channel");
            }
            else if (query.Topic is { } topic)
            {
                SendTopic(query.Room!, topic);
            }
            else
            {
                irc.Reply(IrcNumerics.NoTopic, query.Room!, "No topic is set");
            }

            return;
        }

        var text = message[1]!;
        var result = await irc.Session.SetTopicAsync(room, text.Length > IrcServer.TopicLength ? text[..IrcServer.TopicLength] : text).ConfigureAwait(false);
        if (result != ModerationResult.Done)
        {
            Refuse(result, room, null);
        }
    }

    /// <summary>LIST [#a,#b]: 321, a 322 per room with its member count and topic, 323.</summary>
    public async Task ListAsync(IrcMessage message)
    {
        var wanted = message[0] is { Length: > 0 } filter ? new HashSet<string>(filter.Split(','), RoomName.Comparer) : null;
        irc.Reply(IrcNumerics.ListStart, "Channel", "Users  Name");
        foreach (var (room, members) in await irc.Session.People.ListRoomsAsync().ConfigureAwait(false))
        {
            // An empty room (a #lobby nobody is in) does not exist for IRC.
            if (members > 0 && (wanted is null || wanted.Contains(room)))
            {
                irc.Reply(IrcNumerics.List, room, members.ToString(CultureInfo.InvariantCulture), "");
            }
        }

        irc.Reply(IrcNumerics.ListEnd, "End of /LIST");
    }

    /// <summary>MODE #room [changes] (324 for a query, 367/368 for +b without a mask) or MODE nick [+i|-i].</summary>
    public async Task ModeAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } target)
        {
            irc.NeedMoreParams("MODE");
            return;
        }

        if (!target.StartsWith('#'))
        {
            UserMode(target, message[1]);
            return;
        }

        if (message.Parameters.Count < 2)
        {
            if (await irc.Session.ModesAsync(target).ConfigureAwait(false) is not { } modes)
            {
                irc.Reply(IrcNumerics.NoSuchChannel, target, "No such channel");
                return;
            }

            var (flags, arguments) = modes.Describe();
            irc.Reply(IrcNumerics.ChannelModeIs, [target, flags, .. arguments]);
            return;
        }

        var changes = ModeChange.Parse([.. message.Parameters.Skip(1)]);
        if (changes.Count > 0 && changes.All(change => change is { Mode: 'b', Argument: null }))
        {
            await SendBansAsync(target).ConfigureAwait(false);
            return;
        }

        var result = await irc.Session.ChangeModesAsync(target, [.. changes.Where(change => change is not { Mode: 'b', Argument: null })]).ConfigureAwait(false);
        if (result.Outcome != ModerationResult.Done)
        {
            Refuse(result.Outcome, target, null);
            return;
        }

        foreach (var failure in result.Failures)
        {
            ReplyModeFailure(target, failure);
        }
    }

    /// <summary>KICK #room nick[,nick] [:reason].</summary>
    public async Task KickAsync(IrcMessage message)
    {
        if (message.Parameters.Count < 2)
        {
            irc.NeedMoreParams("KICK");
            return;
        }

        var reason = message[2] is { Length: > 0 } given ? (given.Length > IrcServer.KickLength ? given[..IrcServer.KickLength] : given) : null;
        foreach (var nick in message[1]!.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var result = await irc.Session.KickAsync(message[0]!, nick, reason).ConfigureAwait(false);
            if (result != ModerationResult.Done)
            {
                Refuse(result, message[0]!, nick);
            }
        }
    }

    /// <summary>INVITE nick #room: 341 to the inviter, INVITE to the invitee.</summary>
    public async Task InviteAsync(IrcMessage message)
    {
        if (message.Parameters.Count < 2)
        {
            irc.NeedMoreParams("INVITE");
            return;
        }

        var (nick, room) = (message[0]!, message[1]!);
        var result = await irc.Session.InviteAsync(room, nick).ConfigureAwait(false);
        if (result == ModerationResult.Done)
        {
            irc.Reply(IrcNumerics.Inviting, nick, room);
        }
        else
        {
            Refuse(result, room, nick);
        }
    }

    /// <summary>A member's status prefixes: the highest only, or all with multi-prefix.</summary>
    public static string Prefix(IrcConnection irc, MemberStatus status) =>
        irc.Has(IrcCapabilities.MultiPrefix)
            ? (status.HasFlag(MemberStatus.Op) ? "@" : "") + (status.HasFlag(MemberStatus.Voice) ? "+" : "")
            : status.HasFlag(MemberStatus.Op) ? "@" : status.HasFlag(MemberStatus.Voice) ? "+" : "";

    /// <summary>The numeric for a moderation refusal (Modern IRC's for each command).</summary>
    private void Refuse(ModerationResult result, string room, string? nick)
    {
        switch (result)
        {
            case ModerationResult.NoSuchRoom:
                irc.Reply(IrcNumerics.NoSuchChannel, room, "No such channel");
                break;
            case ModerationResult.NotInRoom:
                irc.Reply(IrcNumerics.NotOnChannel, room, "You're not on that channel");
                break;
            case ModerationResult.NotOperator:
                irc.Reply(IrcNumerics.ChanOPrivsNeeded, room, "You're not channel operator");
                break;
            case ModerationResult.Fixed:
                irc.Reply(IrcNumerics.ChanOPrivsNeeded, room, $"{room}'s modes, topic and members are fixed");
                break;
            case ModerationResult.NoSuchNick:
                irc.Reply(IrcNumerics.NoSuchNick, nick ?? room, "No such nick/channel");
                break;
            case ModerationResult.TargetNotInRoom:
                irc.Reply(IrcNumerics.UserNotInChannel, nick ?? "*", room, "They aren't on that channel");
                break;
            case ModerationResult.AlreadyInRoom:
                irc.Reply(IrcNumerics.UserOnChannel, nick ?? "*", room, "is already on channel");
                break;
        }
    }

    private void ReplyModeFailure(string room, ModeFailure failure)
    {
        var change = failure.Change;
        switch (failure.Error)
        {
            case ModeError.UnknownMode:
                irc.Reply(IrcNumerics.UnknownMode, change.Mode.ToString(), "is an unknown mode char to me");
                break;
            case ModeError.MissingArgument:
                irc.NeedMoreParams("MODE");
                break;
            case ModeError.NoSuchNick:
                irc.Reply(IrcNumerics.NoSuchNick, change.Argument ?? "*", "No such nick/channel");
                break;
            case ModeError.TargetNotInRoom:
                irc.Reply(IrcNumerics.UserNotInChannel, change.Argument ?? "*", room, "They aren't on that channel");
                break;
            case ModeError.KeySet:
                irc.Reply(IrcNumerics.KeySet, room, "Channel key already set");
                break;
            case ModeError.BanListFull:
                irc.Reply(IrcNumerics.BanListFull, room, change.Argument ?? "*", "Channel ban list is full");
                break;
            default:
                irc.Reply(IrcNumerics.InvalidModeParam, room, change.Mode.ToString(), change.Argument ?? "*", "Invalid mode parameter");
                break;
        }
    }

    private async Task SendBansAsync(string room)
    {
        foreach (var ban in await irc.Session.BansAsync(room).ConfigureAwait(false) ?? [])
        {
            irc.Reply(IrcNumerics.BanList, room, ban.Mask, ban.SetBy, ban.SetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        irc.Reply(IrcNumerics.EndOfBanList, room, "End of channel ban list");
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

    private void SendTopic(string room, RoomTopic topic)
    {
        irc.Reply(IrcNumerics.Topic, room, topic.Text);
        irc.Reply(IrcNumerics.TopicWhoTime, room, topic.SetBy, topic.SetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
    }

    private async Task SendNamesAsync(string room)
    {
        var members = await irc.Session.WhoAsync(room).ConfigureAwait(false);
        if (members is not null)
        {
            // Several 353 lines when the room is large: each within IRC's 512 bytes.
            var names = members.Members.Select(member => Prefix(irc, member.Status) + (irc.Has(IrcCapabilities.UserhostInNames) ? member.Mask.Format(member.Nick) : member.Nick));
            foreach (var chunk in names.Chunk(irc.Has(IrcCapabilities.UserhostInNames) ? 8 : 30))
            {
                irc.Reply(IrcNumerics.NamReply, "=", members.Room, string.Join(' ', chunk));
            }
        }

        irc.Reply(IrcNumerics.EndOfNames, members?.Room ?? room, "End of /NAMES list");
    }
}
