using System.Globalization;
using ChatServer.Chat;

namespace ChatServer.Protocol.Irc;

/// <summary>The commands of room operators and their answers: <c>MODE</c> (channel and user modes, ban lists), <c>KICK</c>, <c>INVITE</c>.</summary>
internal sealed class IrcModeration(IrcConnection irc)
{
    /// <summary>MODE #room [changes] (324 for a query, 367/368 for +b without a mask; at most MODES changes with a parameter) or MODE nick [changes].</summary>
    public async Task ModeAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } target)
        {
            irc.NeedMoreParams("MODE");
            return;
        }

        if (!target.StartsWith('#'))
        {
            await UserModeAsync(target, message[1]).ConfigureAwait(false);
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

        // A mode string without a sign adds, as servers read it: irssi and KVIrc ask for the ban list with "MODE #c b" on join.
        List<string> words = [.. message.Parameters.Skip(1)];
        if (words[0] is { Length: > 0 } first && first[0] is not ('+' or '-'))
        {
            words[0] = "+" + first;
        }

        var changes = WithinMaxModes(ModeChange.Parse(words));
        if (changes.Count > 0 && changes.All(change => change is { Mode: 'b', Argument: null }))
        {
            await SendBansAsync(target).ConfigureAwait(false);
            return;
        }

        var result = await irc.Session.ChangeModesAsync(target, [.. changes.Where(change => change is not { Mode: 'b', Argument: null })]).ConfigureAwait(false);
        if (result.Outcome != ModerationResult.Done)
        {
            Refuse(irc, result.Outcome, target, null);
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

        var reason = message[2] is { Length: > 0 } given ? IrcText.Truncate(given, IrcServer.KickLength) : null;
        var rooms = message[0]!.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var nicks = message[1]!.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (rooms.Length == 0 || (rooms.Length > 1 && rooms.Length != nicks.Length))
        {
            // RFC 2812: one channel for every user, or one channel for all of them.
            irc.NeedMoreParams("KICK");
            return;
        }

        for (var i = 0; i < Math.Min(nicks.Length, IrcServer.MaxTargets); i++)
        {
            var room = rooms.Length == 1 ? rooms[0] : rooms[i];
            var result = await irc.Session.KickAsync(room, nicks[i], reason).ConfigureAwait(false);
            if (result != ModerationResult.Done)
            {
                Refuse(irc, result, room, nicks[i]);
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
            Refuse(irc, result, room, nick);
        }
    }

    /// <summary>The numeric for a moderation refusal (Modern IRC's for each command).</summary>
    public static void Refuse(IrcConnection irc, ModerationResult result, string room, string? nick)
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
                // RFC 2812's "<channel> <char>" (Modern IRC has no 478): the list that is full, not the mask.
                irc.Reply(IrcNumerics.BanListFull, room, change.Mode.ToString(), "Channel list is full");
                break;
            default:
                // A key is never echoed (it may hold spaces, or be someone's guess).
                irc.Reply(IrcNumerics.InvalidModeParam, room, change.Mode.ToString(), change.Mode == 'k' || string.IsNullOrWhiteSpace(change.Argument) ? "*" : change.Argument, "Invalid mode parameter");
                break;
        }
    }

    /// <summary>The changes up to the <see cref="IrcServer.MaxModes"/>th that takes a parameter (005's MODES); the rest are dropped, as servers do.</summary>
    private static List<ModeChange> WithinMaxModes(IReadOnlyList<ModeChange> changes)
    {
        var kept = new List<ModeChange>(changes.Count);
        var withParameter = 0;
        foreach (var change in changes)
        {
            if (ModeChange.TakesArgument(change.Add, change.Mode) && ++withParameter > IrcServer.MaxModes)
            {
                continue;
            }

            kept.Add(change);
        }

        return kept;
    }

    private async Task SendBansAsync(string room)
    {
        foreach (var ban in await irc.Session.BansAsync(room).ConfigureAwait(false) ?? [])
        {
            irc.Reply(IrcNumerics.BanList, room, ban.Mask, ban.SetBy, ban.SetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        irc.Reply(IrcNumerics.EndOfBanList, room, "End of channel ban list");
    }

    /// <summary>
    /// MODE nick [changes]: 221 for a query; <c>+i</c> and <c>-i</c>, and <c>-o</c> to give up operator status
    /// (<c>+o</c> is ignored: OPER grants it, RFC 2812); 501 once for unknown letters, after the known ones are
    /// applied (Modern IRC); 401 for a nick no one has, 502 for someone else's.
    /// </summary>
    private async Task UserModeAsync(string nick, string? change)
    {
        if (!NickName.Comparer.Equals(nick, irc.Nick))
        {
            var exists = NickName.IsValid(nick) && await irc.Session.People.FindAsync(nick).ConfigureAwait(false) is not null;
            if (exists)
            {
                irc.Reply(IrcNumerics.UsersDontMatch, "Can't change mode for other users");
            }
            else
            {
                irc.Reply(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
            }

            return;
        }

        if (change is null)
        {
            irc.Reply(IrcNumerics.UModeIs, "+" + (irc.Link.Status.IsInvisible ? "i" : "") + (irc.Link.Status.IsOperator ? "o" : ""));
            return;
        }

        var adding = true;
        var applied = "";
        var unknown = false;
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
                case 'o' when !adding && irc.Link.Status.IsOperator:
                    irc.Link.Status = irc.Link.Status with { IsOperator = false };
                    applied += "-o";
                    break;
                case 'i' or 'o':
                    break;
                default:
                    unknown = true;
                    break;
            }
        }

        if (unknown)
        {
            // One answer per command, however many unknown letters it had.
            irc.Reply(IrcNumerics.UModeUnknownFlag, "Unknown MODE flag");
        }

        if (applied.Length > 0)
        {
            irc.FromSelf("MODE", irc.Target, applied);
        }
    }
}
