using System.Security.Cryptography;
using System.Text;

namespace ChatServer.Protocol.Irc;

/// <summary>Server operators: <c>OPER</c> with the account of <c>--irc-oper</c>, and what only they may do (<c>KILL</c>).</summary>
internal sealed class IrcOperatorAccount(IrcConnection irc)
{
    /// <summary>Whether <paramref name="given"/> is <paramref name="expected"/>, in time that does not depend on where they differ.</summary>
    public static bool SameSecret(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>OPER name password: 381 and user mode +o for the configured account; 464 for anything else.</summary>
    public void Oper(IrcMessage message)
    {
        if (message.Parameters.Count < 2)
        {
            irc.NeedMoreParams("OPER");
            return;
        }

        // One answer for a wrong name and a wrong password, compared in constant time: nothing to learn by trying.
        if (irc.Server.Operator is not { } account || !SameSecret(message[0], account.Name) | !SameSecret(message[1], account.Password))
        {
            irc.Reply(IrcNumerics.PasswdMismatch, "Password incorrect");
            return;
        }

        irc.Link.Status = irc.Link.Status with { IsOperator = true };
        irc.Reply(IrcNumerics.YoureOper, "You are now an IRC operator");
        irc.FromSelf("MODE", irc.Target, "+o");
    }

    /// <summary>KILL nick [:reason]: an operator disconnects someone on this server (481 for anyone else); the rooms hear "Killed (oper (reason))" as its quit reason.</summary>
    public async Task KillAsync(IrcMessage message)
    {
        if (!irc.Link.Status.IsOperator)
        {
            irc.Reply(IrcNumerics.NoPrivileges, "Permission Denied- You're not an IRC operator");
            return;
        }

        if (message[0] is not { Length: > 0 } nick)
        {
            irc.NeedMoreParams("KILL");
            return;
        }

        if (await irc.Session.People.LookupAsync(nick).ConfigureAwait(false) is not { } found)
        {
            irc.Reply(IrcNumerics.NoSuchNick, nick, "No such nick/channel");
            return;
        }

        var reason = message[1] is { Length: > 0 } given ? given : "no reason";
        found.Member.Process.Stop(Supervision.ExitReason.ShutdownWith($"Killed ({irc.Target} ({reason}))"));
    }
}
