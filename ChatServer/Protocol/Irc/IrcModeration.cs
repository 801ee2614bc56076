using System.Globalization;
using ChatServer.Chat;

namespace ChatServer.Protocol.Irc;

/// <summary>The commands of room operators and their answers: <c>MODE</c> (channel and user modes, ban lists), <c>KICK</c>, <c>INVITE</c>.</summary>
internal sealed class IrcModeration(IrcConnection irc)
{
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
        foreach (var nick in message[1]!.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var result = await irc.Session.KickAsync(message[0]!, nick, reason).ConfigureAwait(false);
            if (result != ModerationResult.Done)
            {
                Refuse(irc, result, message[0]!, nick);
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
                irc.Reply(IrcNumerics.BanListFull, room, change.Argument ?? "*", "Channel ban list is full");
                break;
            default:
                // A key is never echoed (it may hold spaces, or be someone's guess).
                irc.Reply(IrcNumerics.InvalidModeParam, room, change.Mode.ToString(), change.Mode == 'k' || string.IsNullOrWhiteSpace(change.Argument) ? "*" : change.Argument, "Invalid mode parameter");
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
                case 'i':
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
