using System.Globalization;
using ChatServer.Cluster;
using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Chat;

/// <summary>
/// The nick registry: who is connected under which nick. Nicks are unique case-insensitively and
/// claimed atomically on this worker's loop. A member's nick is released when its process exits
/// (a monitor), however it exits. After a restart the registry is empty and members register again;
/// guest numbers come from <paramref name="guestNumbers"/>, which outlives each incarnation, so they
/// continue across restarts instead of starting again from <c>guest1</c>.
/// In a cluster, nicks are claimed cluster-wide and people on other nodes are found through
/// <see cref="ClusterNicks"/>; presence is then linked to the cluster link (it ends when the link does,
/// and its members register with the next incarnation).
/// </summary>
public sealed class Presence : Worker<Presence.Message>
{
    private readonly Dictionary<string, IChatMember> _byNick = new(NickName.Comparer);
    /// <summary>Each registered member's nick (<see cref="Revoked"/> while it registers again), monitored once.</summary>
    private readonly Dictionary<ProcessId, string> _nickOf = [];

    /// <summary>The nick of a member whose nick was taken back (<see cref="Revoke"/>) until it registers again: no nick obeys the rules and is empty.</summary>
    private const string Revoked = "";

    /// <summary>The most members registered at once in this incarnation (IRC's LUSERS maximum).</summary>
    private int _most;

    /// <summary>Nicks given up lately (WHOWAS).</summary>
    private readonly NickHistory _history = new();

    /// <summary>The server's guest number counter, shared by every incarnation in turn.</summary>
    private readonly IGuestNumbers _guestNumbers;

    /// <summary>The cluster half, or null on a server that runs alone.</summary>
    private readonly ClusterNicks? _cluster;

    /// <summary>Creates the nick registry of a server that runs alone; guest numbers come from <paramref name="guestNumbers"/>.</summary>
    public Presence(IGuestNumbers guestNumbers)
        : this(guestNumbers, cluster: null)
    {
    }

    /// <summary>Creates the nick registry of a node of <paramref name="cluster"/> (null: a server that runs alone).</summary>
    internal Presence(IGuestNumbers guestNumbers, ClusterServices? cluster)
        : base(new WorkerOptions { Name = ServiceNames.Presence })
    {
        _guestNumbers = guestNumbers;
        _cluster = cluster is null ? null : new ClusterNicks(cluster, signal => Tell(new FromCluster(signal)));
    }

    /// <summary>Presence's mailbox protocol.</summary>
    public abstract record Message;

    private sealed record Register(IChatMember Member, string? Wanted, Reply<string> Reply) : Message;

    private sealed record Rename(IChatMember Member, string Nick, Reply<NickChange> Reply) : Message;

    private sealed record Find(string Nick, Reply<IChatMember?> Reply) : Message;

    private sealed record Unregister(IChatMember Member, Reply<bool> Reply) : Message;

    private sealed record CountMembers(Reply<int> Reply) : Message;

    private sealed record CountMost(Reply<int> Reply) : Message;

    private sealed record Lookup(string Nick, Reply<(string Nick, IChatMember Member)?> Reply) : Message;

    private sealed record Whowas(Func<string, bool> Matches, int Count, Reply<IReadOnlyList<PastNick>> Reply) : Message;

    private sealed record ListMembers(Reply<IReadOnlyList<(string Nick, IChatMember Member)>> Reply) : Message;

    private sealed record MemberDown(ProcessDown Down) : Message;

    private sealed record FromCluster(FollowerSignal Signal) : Message;

    private sealed record LinkDown(ProcessDown Down) : Message;

    /// <summary>
    /// Registers <paramref name="member"/> under <paramref name="wanted"/> if free, else under a
    /// fresh guest nick (<c>guestN</c>), and returns the nick it got.
    /// </summary>
    public Task<string> RegisterAsync(IChatMember member, string? wanted = null) =>
        CallAsync<string>(reply => new Register(member, wanted, reply));

    /// <summary>Gives <paramref name="member"/> the nick <paramref name="nick"/> if no one else holds it.</summary>
    public Task<NickChange> RenameAsync(IChatMember member, string nick) =>
        CallAsync<NickChange>(reply => new Rename(member, nick, reply));

    /// <summary>
    /// Frees <paramref name="member"/>'s nick now (a member that is quitting), rather than when its
    /// process exits: in a cluster the nick is free everywhere before the quit is announced.
    /// </summary>
    public Task UnregisterAsync(IChatMember member) => CallAsync<bool>(reply => new Unregister(member, reply));

    /// <summary>The member holding <paramref name="nick"/>, or null.</summary>
    public Task<IChatMember?> FindAsync(string nick) => CallAsync<IChatMember?>(reply => new Find(nick, reply));

    /// <summary>The member registered on this node under <paramref name="nick"/> (any case) with the nick as it chose it, or null.</summary>
    public Task<(string Nick, IChatMember Member)?> LookupAsync(string nick) =>
        CallAsync<(string Nick, IChatMember Member)?>(reply => new Lookup(nick, reply));

    /// <summary>The nicks given up lately on this node that <paramref name="matches"/>, newest first, at most <paramref name="count"/> (0 or less: all).</summary>
    public Task<IReadOnlyList<PastNick>> WhowasAsync(Func<string, bool> matches, int count) =>
        CallAsync<IReadOnlyList<PastNick>>(reply => new Whowas(matches, count, reply));

    /// <summary>The members registered on this node with their nicks as they chose them (IRC's WHO and WHOIS show the real case).</summary>
    public Task<IReadOnlyList<(string Nick, IChatMember Member)>> ListAsync() =>
        CallAsync<IReadOnlyList<(string Nick, IChatMember Member)>>(reply => new ListMembers(reply));

    /// <summary>The most members registered at once since this registry started.</summary>
    public Task<int> MostAsync() => CallAsync<int>(reply => new CountMost(reply));

    /// <summary>How many members are registered.</summary>
    public Task<int> CountAsync() => CallAsync<int>(reply => new CountMembers(reply));

    /// <summary>
    /// In a cluster, calls <paramref name="done"/> (it must only post) once this node has handed its inbox up to
    /// <paramref name="upTo"/> to the people here: another node's <c>/ping</c> waits for it. False when presence has stopped.
    /// </summary>
    internal bool AwaitInbox(StreamId upTo, Action done) => Tell(new FromCluster(new FollowerSignal.AwaitApplied(upTo, done)));

    /// <summary>In a cluster, presence watches the link and is linked to it.</summary>
    protected override ValueTask InitAsync(CancellationToken cancellationToken)
    {
        if (_cluster is not null)
        {
            Monitor(_cluster.Start(this), down => new LinkDown(down));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override async ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Register register:
                register.Reply.Send(await AddAsync(register.Member, register.Wanted).ConfigureAwait(false));
                break;
            case Rename rename:
                try
                {
                    rename.Reply.Send(await ChangeNickAsync(rename.Member, rename.Nick).ConfigureAwait(false));
                }
                catch (ClusterPausedException exception)
                {
                    rename.Reply.Fail(exception);
                }

                break;
            case Find find when _byNick.TryGetValue(find.Nick, out var here) || _cluster is null:
                find.Reply.Send(here);
                break;
            case Find find:
                try
                {
                    find.Reply.Send(await _cluster.FindAsync(find.Nick).ConfigureAwait(false));
                }
                catch (ClusterPausedException exception)
                {
                    find.Reply.Fail(exception);
                }

                break;
            case CountMembers count:
                count.Reply.Send(_nickOf.Count);
                break;
            case CountMost most:
                most.Reply.Send(_most);
                break;
            case Lookup lookup:
                lookup.Reply.Send(_byNick.TryGetValue(lookup.Nick, out var found) && _nickOf.TryGetValue(found.Process.Id, out var chosen) ? (chosen, found) : null);
                break;
            case Whowas whowas:
                whowas.Reply.Send(_history.Find(whowas.Matches, whowas.Count));
                break;
            case ListMembers list:
                list.Reply.Send([.. _byNick.Select(pair => (pair.Key, pair.Value))]);
                break;
            case Unregister unregister:
                await ForgetAsync(unregister.Member.Process.Id).ConfigureAwait(false);
                unregister.Reply.Send(true);
                break;
            case MemberDown down:
                await ForgetAsync(down.Down.Process.Id).ConfigureAwait(false);
                break;
            case FromCluster fromCluster:
                await _cluster!.HandleAsync(fromCluster.Signal, process => _nickOf.TryGetValue(process, out var nick) && nick != Revoked ? _byNick[nick] : null, () => _byNick.Select(pair => (pair.Value, pair.Key)).ToList(), Revoke).ConfigureAwait(false);
                break;
            case LinkDown:
                Stop(ExitReason.Failure(new ServiceUnavailableException()));
                break;
        }
    }

    /// <inheritdoc />
    protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        _cluster?.Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>Takes <paramref name="member"/>'s nick back here (another node's member holds it) and has it register again; its monitor stays.</summary>
    private void Revoke(IChatMember member)
    {
        if (_nickOf.TryGetValue(member.Process.Id, out var nick) && nick != Revoked)
        {
            _byNick.Remove(nick);
            _nickOf[member.Process.Id] = Revoked;
            member.RegisterAgain();
        }
    }

    private async Task ForgetAsync(ProcessId member)
    {
        if (_nickOf.Remove(member, out var nick) && nick != Revoked)
        {
            _history.Record(nick, _byNick[nick].Mask, TimeProvider.GetUtcNow());
            _byNick.Remove(nick);
            if (_cluster is not null)
            {
                await _cluster.ReleaseAsync(member, nick).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> AddAsync(IChatMember member, string? wanted)
    {
        var known = _nickOf.TryGetValue(member.Process.Id, out var existing);
        if (known && existing != Revoked)
        {
            return existing!;
        }

        var nick = _cluster is not null
            ? await _cluster.ClaimAsync(member, wanted, free => !_byNick.ContainsKey(free), _guestNumbers).ConfigureAwait(false)
            : wanted is not null && NickName.IsValid(wanted) && !_byNick.ContainsKey(wanted) ? wanted : NextGuestNick();
        _byNick.Add(nick, member);
        _nickOf[member.Process.Id] = nick;
        _most = Math.Max(_most, _nickOf.Count);
        if (!known)
        {
            Monitor(member.Process, down => new MemberDown(down));
        }

        return nick;
    }

    private async Task<NickChange> ChangeNickAsync(IChatMember member, string nick)
    {
        if (!_nickOf.TryGetValue(member.Process.Id, out var current) || current == Revoked)
        {
            current = await AddAsync(member, null).ConfigureAwait(false);
        }

        if (string.Equals(current, nick, StringComparison.Ordinal))
        {
            return NickChange.Unchanged;
        }

        if (_byNick.TryGetValue(nick, out var holder) && !ReferenceEquals(holder, member))
        {
            return NickChange.Taken;
        }

        if (_cluster is not null)
        {
            if (!NickName.Comparer.Equals(current, nick) && !await _cluster.TryClaimAsync(member, nick).ConfigureAwait(false))
            {
                return NickChange.Taken;
            }

            if (!NickName.Comparer.Equals(current, nick))
            {
                await _cluster.ReleaseAsync(member.Process.Id, current).ConfigureAwait(false);
            }
        }

        _history.Record(current, member.Mask, TimeProvider.GetUtcNow());
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
            nick = string.Create(CultureInfo.InvariantCulture, $"guest{_guestNumbers.Next()}");
        }
        while (_byNick.ContainsKey(nick));

        return nick;
    }
}
