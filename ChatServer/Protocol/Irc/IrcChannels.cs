using System.Globalization;
using ChatServer.Chat;

namespace ChatServer.Protocol.Irc;

/// <summary>The channel commands anyone may use: <c>JOIN</c> (comma lists, <c>JOIN 0</c>), <c>PART</c>, <c>NAMES</c>, <c>TOPIC</c>, <c>LIST</c>.</summary>
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

            if (irc.Session.Rooms.Count >= IrcServer.MaxRooms)
            {
                irc.Reply(IrcNumerics.TooManyChannels, room, "You have joined too many channels");
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
                IrcModeration.Refuse(irc, query.Result, room, null);
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
        var result = await irc.Session.SetTopicAsync(room, IrcText.Truncate(text, IrcServer.TopicLength)).ConfigureAwait(false);
        if (result != ModerationResult.Done)
        {
            IrcModeration.Refuse(irc, result, room, null);
        }
    }

    /// <summary>LIST [#a,#b]: 321, a 322 per room with its member count (the topic is left empty: it would cost a call per room), 323.</summary>
    public async Task ListAsync(IrcMessage message)
    {
        var wanted = message[0] is { Length: > 0 } filter ? new HashSet<string>(filter.Split(','), RoomName.Comparer) : null;
        irc.Reply(IrcNumerics.ListStart, "Channel", "Users  Name");
        foreach (var (room, members) in await irc.Session.ListVisibleRoomsAsync().ConfigureAwait(false))
        {
            // An empty room (a #lobby nobody is in) does not exist for IRC.
            if (members > 0 && (wanted is null || wanted.Contains(room)))
            {
                irc.Reply(IrcNumerics.List, room, members.ToString(CultureInfo.InvariantCulture), "");
            }
        }

        irc.Reply(IrcNumerics.ListEnd, "End of /LIST");
    }

    /// <summary>A member's status prefixes: the highest only, or all with multi-prefix.</summary>
    public static string Prefix(IrcConnection irc, MemberStatus status) =>
        irc.Has(IrcCapabilities.MultiPrefix)
            ? (status.HasFlag(MemberStatus.Op) ? "@" : "") + (status.HasFlag(MemberStatus.Voice) ? "+" : "")
            : status.HasFlag(MemberStatus.Op) ? "@" : status.HasFlag(MemberStatus.Voice) ? "+" : "";

    private async Task PartOneAsync(string room, string? reason)
    {
        var parted = await irc.Session.PartAsync(room, reason).ConfigureAwait(false);
        if (parted.Room is null)
        {
            irc.Reply(IrcNumerics.NotOnChannel, room, "You're not on that channel");
            return;
        }

        // After the mail already queued: the room's MODE or TOPIC for this person's earlier commands is in it,
        // and a client must not see a change to a channel it has left.
        if (reason is null)
        {
            irc.FromSelfAfterQueued("PART", parted.Room);
        }
        else
        {
            irc.FromSelfAfterQueued("PART", parted.Room, reason);
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
        var isMember = irc.Session.Rooms.Contains(room, RoomName.Comparer);
        var secret = members is not null && await irc.Session.ModesAsync(members.Room).ConfigureAwait(false) is { Secret: true };
        if (members is not null && (isMember || !secret))
        {
            // Several 353 lines when the room is large, each within IRC's 512 bytes. "@" marks a secret room, "=" a public one.
            var names = members.Members.Select(member => Prefix(irc, member.Status) + (irc.Has(IrcCapabilities.UserhostInNames) ? member.Mask.Format(member.Nick) : member.Nick));
            irc.ReplyWords(IrcNumerics.NamReply, [secret ? "@" : "=", members.Room], names);
        }

        irc.Reply(IrcNumerics.EndOfNames, members?.Room ?? room, "End of /NAMES list");
    }
}
