using ChatServer.Chat;
using ChatServer.Sessions;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// <c>PRIVMSG</c> and <c>NOTICE</c> to rooms and nicks (comma-separated targets), CTCP ACTION as the
/// line protocol's <c>/me</c>, <c>echo-message</c>, and <c>AWAY</c>. A NOTICE is never answered with an
/// error (Modern IRC: no automatic replies to a NOTICE).
/// </summary>
internal sealed class IrcMessaging(IrcConnection irc)
{
    /// <summary>Handles PRIVMSG or NOTICE.</summary>
    public async Task SendAsync(IrcMessage message)
    {
        var isNotice = message.Command == "NOTICE";
        if (message[0] is not { Length: > 0 } targets)
        {
            Fail(isNotice, IrcNumerics.NoRecipient, $"No recipient given ({message.Command})");
            return;
        }

        if (message[1] is not { Length: > 0 } text)
        {
            Fail(isNotice, IrcNumerics.NoTextToSend, "No text to send");
            return;
        }

        var action = IrcFormatting.ActionText(text);
        var kind = isNotice ? LineKind.Notice : action is not null ? LineKind.Action : LineKind.Message;
        var body = kind == LineKind.Action ? action! : text;

        // One id for everyone who gets this message, its echo included; client-only tags travel with it (message-tags).
        var tags = IrcMessageTags.ForRelay(message);
        foreach (var target in targets.Split(',', StringSplitOptions.RemoveEmptyEntries).Take(IrcServer.MaxTargets))
        {
            if (target.StartsWith('#'))
            {
                // In order behind what this person said in other rooms (the room's own mailbox keeps the order within it).
                await irc.Session.SettleBeforeLineAsync(target).ConfigureAwait(false);
                switch (irc.Session.Say(target, body, kind, tags))
                {
                    case SayResult.NoSuchRoom:
                        Fail(isNotice, IrcNumerics.NoSuchChannel, target, "No such channel");
                        continue;
                    case SayResult.NotInRoom:
                        Fail(isNotice, IrcNumerics.CannotSendToChan, target, "Cannot send to channel");
                        continue;
                }
            }
            else if (!await SendPrivateAsync(target, text, isNotice, tags).ConfigureAwait(false))
            {
                Fail(isNotice, IrcNumerics.NoSuchNick, target, "No such nick/channel");
                continue;
            }
            else if (!isNotice && await irc.Session.People.FindAsync(target).ConfigureAwait(false) is { Status.Away: { } away })
            {
                irc.Reply(IrcNumerics.Away, target, away);
            }

            if (irc.Has(IrcCapabilities.EchoMessage))
            {
                irc.Link.Write(IrcEventFormat.Message(irc.Format.Tags(irc.Server.Time.GetUtcNow(), tags), irc.Source, message.Command, target, body, kind == LineKind.Action));
            }
        }
    }

    /// <summary>TAGMSG #room: tags only, to the room's IRC members with message-tags (and back to the sender with echo-message).</summary>
    public async Task TagsOnlyAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } targets)
        {
            irc.NeedMoreParams("TAGMSG");
            return;
        }

        var tags = IrcMessageTags.ForRelay(message);
        foreach (var target in targets.Split(',', StringSplitOptions.RemoveEmptyEntries).Take(IrcServer.MaxTargets).Where(t => t.StartsWith('#')))
        {
            await irc.Session.SettleBeforeLineAsync(target).ConfigureAwait(false);
            if (irc.Session.Say(target, "", LineKind.Tags, tags) == SayResult.Sent && irc.Has(IrcCapabilities.EchoMessage) && irc.Has(IrcCapabilities.MessageTags))
            {
                irc.Link.Write(OutboundLine.From(IrcLine.Build(irc.Format.Tags(irc.Server.Time.GetUtcNow(), tags), irc.Source, "TAGMSG", target)));
            }
        }
    }

    private async Task<bool> SendPrivateAsync(string nick, string text, bool isNotice, string tags)
    {
        await irc.Session.SettleAsync(roomLine: false).ConfigureAwait(false);
        return await irc.Session.SendPrivateAsync(nick, text, isNotice, tags).ConfigureAwait(false);
    }

    /// <summary>AWAY [:message]: 306 and away, or 305 and back.</summary>
    public void Away(IrcMessage message)
    {
        if (message[0] is { Length: > 0 } text)
        {
            irc.Link.Status = irc.Link.Status with { Away = IrcText.Truncate(text, IrcServer.AwayLength) };
            irc.Session.AnnounceAway(irc.Link.Status.Away);
            irc.Reply(IrcNumerics.NowAway, "You have been marked as being away");
        }
        else
        {
            irc.Link.Status = irc.Link.Status with { Away = null };
            irc.Session.AnnounceAway(null);
            irc.Reply(IrcNumerics.UnAway, "You are no longer marked as being away");
        }
    }

    private void Fail(bool isNotice, string numeric, params ReadOnlySpan<string> parameters)
    {
        if (!isNotice)
        {
            irc.Reply(numeric, parameters);
        }
    }
}
