using System.Globalization;
using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Chat;

/// <summary>
/// The nick registry: who is connected under which nick. Nicks are unique case-insensitively and
/// claimed atomically on this worker's loop. A member's nick is released when its process exits
/// (a monitor), however it exits. After a restart the registry is empty and members register again;
/// guest numbers come from <paramref name="guestNumbers"/>, which outlives each incarnation, so they
/// continue across restarts instead of starting again from <c>guest1</c>.
/// </summary>
/// <param name="guestNumbers">The server's guest number counter, shared by every incarnation in turn.</param>
public sealed class Presence(IGuestNumbers guestNumbers) : Worker<Presence.Message>(new WorkerOptions { Name = "presence" })
{
    private readonly Dictionary<string, IChatMember> _byNick = new(NickName.Comparer);
    private readonly Dictionary<ProcessId, string> _nickOf = [];

    /// <summary>Presence's mailbox protocol.</summary>
    public abstract record Message;

    private sealed record Register(IChatMember Member, string? Wanted, Reply<string> Reply) : Message;

    private sealed record Rename(IChatMember Member, string Nick, Reply<NickChange> Reply) : Message;

    private sealed record Find(string Nick, Reply<IChatMember?> Reply) : Message;

    private sealed record CountMembers(Reply<int> Reply) : Message;

    private sealed record MemberDown(ProcessDown Down) : Message;

    /// <summary>
    /// Registers <paramref name="member"/> under <paramref name="wanted"/> if free, else under a
    /// fresh guest nick (<c>guestN</c>), and returns the nick it got.
    /// </summary>
    public Task<string> RegisterAsync(IChatMember member, string? wanted = null) =>
        CallAsync<string>(reply => new Register(member, wanted, reply));

    /// <summary>Gives <paramref name="member"/> the nick <paramref name="nick"/> if no one else holds it.</summary>
    public Task<NickChange> RenameAsync(IChatMember member, string nick) =>
        CallAsync<NickChange>(reply => new Rename(member, nick, reply));

    /// <summary>The member holding <paramref name="nick"/>, or null.</summary>
    public Task<IChatMember?> FindAsync(string nick) => CallAsync<IChatMember?>(reply => new Find(nick, reply));

    /// <summary>How many members are registered.</summary>
    public Task<int> CountAsync() => CallAsync<int>(reply => new CountMembers(reply));

    /// <inheritdoc />
    protected override ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Register register:
                register.Reply.Send(Add(register.Member, register.Wanted));
                break;
            case Rename rename:
                rename.Reply.Send(ChangeNick(rename.Member, rename.Nick));
                break;
            case Find find:
                find.Reply.Send(_byNick.GetValueOrDefault(find.Nick));
                break;
            case CountMembers count:
                count.Reply.Send(_nickOf.Count);
                break;
            case MemberDown down when _nickOf.Remove(down.Down.Process.Id, out var nick):
                _byNick.Remove(nick);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private string Add(IChatMember member, string? wanted)
    {
        if (_nickOf.TryGetValue(member.Process.Id, out var existing))
        {
            return existing;
        }

        var nick = wanted is not null && NickName.IsValid(wanted) && !_byNick.ContainsKey(wanted) ? wanted : NextGuestNick();
        _byNick.Add(nick, member);
        _nickOf.Add(member.Process.Id, nick);
        Monitor(member.Process, down => new MemberDown(down));
        return nick;
    }

    private NickChange ChangeNick(IChatMember member, string nick)
    {
        if (!_nickOf.TryGetValue(member.Process.Id, out var current))
        {
            Add(member, null);
            current = _nickOf[member.Process.Id];
        }

        if (string.Equals(current, nick, StringComparison.Ordinal))
        {
            return NickChange.Unchanged;
        }

        if (_byNick.TryGetValue(nick, out var holder) && !ReferenceEquals(holder, member))
        {
            return NickChange.Taken;
        }

        _byNick.Remove(current);
        _byNick.Add(nick, member);
        _nickOf[member.Process.Id] = nick;
        return NickChange.Changed;
    }

    private string NextGuestNick()
    {
        string nick;
        do
        {
            nick = string.Create(CultureInfo.InvariantCulture, $"guest{guestNumbers.Next()}");
        }
        while (_byNick.ContainsKey(nick));

        return nick;
    }
}
