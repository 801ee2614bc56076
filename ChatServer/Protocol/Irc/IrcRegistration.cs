using System.Globalization;

namespace ChatServer.Protocol.Irc;

/// <summary>
/// Connection registration (Modern IRC, "Connection Registration"): <c>CAP</c> negotiation, which may
/// come before, between or without <c>NICK</c>/<c>USER</c> and holds registration until <c>CAP END</c>;
/// <c>PASS</c>; <c>NICK</c>; <c>USER</c>; then the welcome burst (001–005, LUSERS, MOTD). Also <c>NICK</c>
/// and <c>CAP</c> after registration.
/// </summary>
internal sealed class IrcRegistration(IrcConnection irc)
{
    /// <summary>The longest user name kept from <c>USER</c> (USERLEN), the <c>~</c> that marks it unverified included.</summary>
    public const int MaxUserLength = 10;

    /// <summary>CAP LS or REQ came before registration: it waits for CAP END.</summary>
    private bool _negotiating;

    /// <summary>The password the client gave with PASS, or null.</summary>
    private string? _password;

    /// <summary>Handles <c>CAP</c>.</summary>
    public async Task CapAsync(IrcMessage message)
    {
        var subcommand = message[0]?.ToUpperInvariant();
        switch (subcommand)
        {
            case "LS":
                if (!irc.IsRegistered)
                {
                    _negotiating = true;
                }

                if (int.TryParse(message[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 302)
                {
                    // CAP LS 302 implies cap-notify (IRCv3 capability negotiation).
                    irc.Capabilities |= IrcCapabilities.CapNotify;
                }

                irc.FromServer("CAP", irc.Target, "LS", IrcCapabilityNames.Names(AllOffered));
                break;
            case "LIST":
                irc.FromServer("CAP", irc.Target, "LIST", IrcCapabilityNames.Names(irc.Capabilities));
                break;
            case "REQ":
                if (!irc.IsRegistered)
                {
                    _negotiating = true;
                }

                Request(message[1] ?? "");
                break;
            case "END":
                _negotiating = false;
                await TryCompleteAsync().ConfigureAwait(false);
                break;
            case null:
                irc.NeedMoreParams("CAP");
                break;
            default:
                irc.Reply(IrcNumerics.InvalidCapCmd, message[0]!, "Invalid CAP command");
                break;
        }
    }

    /// <summary>Handles <c>PASS</c>: kept until registration completes, where it is checked.</summary>
    public void Pass(IrcMessage message)
    {
        if (irc.IsRegistered)
        {
            irc.Reply(IrcNumerics.AlreadyRegistered, "You may not reregister");
        }
        else if (message[0] is not { } password)
        {
            irc.NeedMoreParams("PASS");
        }
        else
        {
            _password = password;
        }
    }

    /// <summary>Handles <c>NICK</c>: claims the nick (433 when someone holds it), or renames a registered person.</summary>
    public async Task NickAsync(IrcMessage message)
    {
        if (message[0] is not { Length: > 0 } nick)
        {
            irc.Reply(IrcNumerics.NoNicknameGiven, "No nickname given");
            return;
        }

        if (!NickName.IsValid(nick))
        {
            irc.Reply(IrcNumerics.ErroneusNickname, nick, "Erroneous nickname");
            return;
        }

        if (!irc.Session.HasNick)
        {
            // Before registration the nick is only checked; it is claimed when registration completes, so
            // a connection that never registers holds no nick and counts for no one (LUSERS, WHO). Without the
            // server's password (PASS comes first) nothing is checked: who is online is not for strangers.
            if (PasswordGiven && await irc.Session.People.FindAsync(nick).ConfigureAwait(false) is not null)
            {
                irc.Reply(IrcNumerics.NicknameInUse, nick, "Nickname is already in use");
                return;
            }

            irc.Nick = nick;
            await TryCompleteAsync().ConfigureAwait(false);
            return;
        }

        var old = irc.Source;
        switch (await irc.Session.ChangeNickAsync(nick).ConfigureAwait(false))
        {
            case Chat.NickChange.Taken:
                irc.Reply(IrcNumerics.NicknameInUse, nick, "Nickname is already in use");
                break;
            case Chat.NickChange.Unchanged when irc.Nick is not null:
                break;
            default:
                irc.Link.LogRenamed(irc.Nick ?? "*", nick);
                irc.Nick = nick;
                if (irc.IsRegistered)
                {
                    irc.Link.Write(OutboundLine.From(IrcLine.Build(null, old, "NICK", nick)));
                }
                else
                {
                    await TryCompleteAsync().ConfigureAwait(false);
                }

                break;
        }
    }

    /// <summary>Handles <c>USER username 0 * :realname</c>.</summary>
    public async Task UserAsync(IrcMessage message)
    {
        if (irc.IsRegistered || irc.User is not null)
        {
            irc.Reply(IrcNumerics.AlreadyRegistered, "You may not reregister");
            return;
        }

        if (message.Parameters.Count < 4 || message[0]!.Length == 0 || message[3]!.Length == 0)
        {
            irc.NeedMoreParams("USER");
            return;
        }

        var user = "~" + new string([.. message[0]!.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.').Take(MaxUserLength - 1)]);
        irc.User = user.Length > 1 ? user : "~user";
        irc.Link.SetUser(irc.User, message[3]!);
        await TryCompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Whether the server needs no password or PASS gave the right one.</summary>
    private bool PasswordGiven => irc.Server.Password is not { } expected || IrcOperatorAccount.SameSecret(_password, expected);

    private static IrcCapabilities AllOffered => IrcCapabilityNames.All.Aggregate(IrcCapabilities.None, (all, c) => all | c.Flag);

    /// <summary>CAP REQ: all or nothing (ACK every change, or NAK the whole list).</summary>
    private void Request(string list)
    {
        var enabled = irc.Capabilities;
        foreach (var item in list.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var remove = item.StartsWith('-');
            var flag = IrcCapabilityNames.Find(remove ? item[1..] : item);
            if (flag == IrcCapabilities.None)
            {
                irc.FromServer("CAP", irc.Target, "NAK", list);
                return;
            }

            enabled = remove ? enabled & ~flag : enabled | flag;
        }

        irc.Capabilities = enabled;
        irc.FromServer("CAP", irc.Target, "ACK", list);
    }

    /// <summary>Registers once NICK and USER are in and no negotiation is open: the password is checked, the nick claimed, then the welcome.</summary>
    private async Task TryCompleteAsync()
    {
        if (irc.IsRegistered || _negotiating || irc.Nick is null || irc.User is null)
        {
            return;
        }

        if (!PasswordGiven)
        {
            irc.Reply(IrcNumerics.PasswdMismatch, "Password incorrect");
            irc.Link.Write(IrcProtocolAdapter.Error("Closing link: password incorrect"));
            irc.Link.Close("bad password");
            return;
        }

        bool claimed;
        try
        {
            claimed = irc.Session.HasNick || await irc.Session.ClaimNickAsync(irc.Nick).ConfigureAwait(false);
        }
        catch (Exception exception) when (Sessions.Session.IsServiceFailure(exception))
        {
            // Clients do not send NICK and USER again by themselves: closing lets them reconnect, which they do.
            irc.Link.Write(IrcProtocolAdapter.Error("Closing link: the server is busy, reconnect"));
            irc.Link.Close("nick registry busy");
            return;
        }

        if (!claimed)
        {
            // Taken since NICK checked it: the client picks another (the session holds a guest nick meanwhile).
            irc.Reply(IrcNumerics.NicknameInUse, irc.Nick, "Nickname is already in use");
            irc.Nick = null;
            return;
        }

        irc.IsRegistered = true;
        await WelcomeAsync().ConfigureAwait(false);
    }

    private async Task WelcomeAsync()
    {
        var server = irc.Server;
        irc.Reply(IrcNumerics.Welcome, $"Welcome to the {IrcServer.NetworkName} IRC network, {irc.Source}");
        irc.Reply(IrcNumerics.YourHost, $"Your host is {server.Name}, running version {IrcServer.Version}");
        irc.Reply(IrcNumerics.Created, $"This server was created {server.Created.UtcDateTime.ToString("R", CultureInfo.InvariantCulture)}");
        irc.Reply(IrcNumerics.MyInfo, server.Name, IrcServer.Version, "io", "biklmnostv", "bklov");
        IrcQueries.Support(irc);
        try
        {
            await IrcQueries.LusersAsync(irc).ConfigureAwait(false);
        }
        catch (Exception exception) when (Sessions.Session.IsServiceFailure(exception))
        {
            // Counts are a courtesy: the end of the welcome (which clients wait for to join) must come regardless.
        }

        irc.Reply(IrcNumerics.NoMotd, "MOTD File is missing");
    }
}
