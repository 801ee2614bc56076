using System.Globalization;
using ChatServer.Chat;
using ChatServer.Protocol;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>
/// The cluster half of presence: nicks are claimed in Redis with their owner (so they are unique
/// cluster-wide), guest numbers come from one counter there, a nick on another node is found there,
/// and private messages to this node's people arrive through its inbox. While Redis is unreachable a
/// newcomer gets a guest nick that carries this node's name (it cannot collide), a nick change is
/// refused, and the people here are told once that other servers are out of reach, and again when
/// they are back. Lives on presence's loop; not thread-safe.
/// </summary>
internal sealed class ClusterNicks
{
    // How long presence waits for Redis on one nick call: presence serves every registration in turn, so
    // a Redis that hangs (paused, not yet judged down) must cost each newcomer little, never a call timeout.
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromMilliseconds(500);

    private readonly ClusterServices _cluster;
    private readonly Action<FollowerSignal> _post;
    private readonly StreamFollower _inbox;
    private readonly DuplicateFilter _duplicates = new();

    /// <summary>What people here were last told: whether Redis answers.</summary>
    private bool _up;

    /// <summary>Whether the link has ever answered or failed: the first "up" is no news to people.</summary>
    private bool _heard;

    /// <summary>Whether a nick here may not be claimed in Redis (a call timed out while Redis seemed up): the next "still up" reconciles.</summary>
    private bool _reconcileNeeded;

    /// <summary>Creates the cluster half of a presence; <paramref name="post"/> puts a signal in its mailbox.</summary>
    public ClusterNicks(ClusterServices cluster, Action<FollowerSignal> post)
    {
        _cluster = cluster;
        _post = post;
        _inbox = new StreamFollower(cluster.Node.Keys.Inbox(cluster.Node.Name), FollowerDelay.Wrap(post, cluster.Node.FollowerDelay), cluster.Logger);
    }

    /// <summary>Whether Redis answers now: the link's own word, read live (the copy in presence's mailbox may be late behind registrations).</summary>
    private bool LinkIsUp => _cluster.Link is { IsUp: true };

    /// <summary>Starts watching the link; returns it (presence is linked to it).</summary>
    /// <exception cref="ServiceUnavailableException">The link is restarting.</exception>
    public ClusterLink Start(IProcess owner)
    {
        var link = _cluster.Watch(owner, _post);
        _up = link.IsUp;
        return link;
    }

    /// <summary>Stops following the inbox.</summary>
    public void Stop() => _inbox.Detach();

    /// <summary>
    /// The nick <paramref name="member"/> gets: <paramref name="wanted"/> if it is free here and in the
    /// cluster, else the next guest nick. While Redis is away: <paramref name="wanted"/> if free here (a
    /// member registering again after a presence restart keeps its nick), else a guest nick carrying this node's name.
    /// When a call times out while Redis seems up, an outage guest nick too (never an unchecked one), claimed by the next reconciliation.
    /// </summary>
    public async Task<string> ClaimAsync(IChatMember member, string? wanted, Func<string, bool> freeHere, IGuestNumbers localGuests)
    {
        if (LinkIsUp)
        {
            try
            {
                if (wanted is not null && NickName.IsValid(wanted) && freeHere(wanted) && await TryClaimAsync(member, wanted).ConfigureAwait(false))
                {
                    return wanted;
                }

                var database = _cluster.Link!.Database;
                while (true)
                {
                    var number = await Bounded(database.StringIncrementAsync(_cluster.Node.Keys.GuestNumbers)).ConfigureAwait(false);
                    var guest = string.Create(CultureInfo.InvariantCulture, $"guest{number}");
                    if (freeHere(guest) && await TryClaimAsync(member, guest).ConfigureAwait(false))
                    {
                        return guest;
                    }
                }
            }
            catch (Exception exception) when (RedisCalls.Failed(exception) || exception is ClusterPausedException)
            {
                // Redis is slow or went away meanwhile: an outage guest nick (below), which cannot collide with another node's,
                // and no nick that was not checked; the next reconciliation claims it in Redis.
                _reconcileNeeded = true;
                return OutageGuest(freeHere, localGuests);
            }
        }

        if (wanted is not null && NickName.IsValid(wanted) && freeHere(wanted))
        {
            return wanted;
        }

        return OutageGuest(freeHere, localGuests);
    }

    private string OutageGuest(Func<string, bool> freeHere, IGuestNumbers localGuests)
    {
        string nick;
        do
        {
            nick = OutageGuestNick(localGuests.Next());
        }
        while (!freeHere(nick));

        return nick;
    }

    /// <summary>Claims <paramref name="nick"/> for <paramref name="member"/> cluster-wide; false when another member holds it.</summary>
    /// <exception cref="ClusterPausedException">Redis cannot be reached: uniqueness cannot be checked.</exception>
    public async Task<bool> TryClaimAsync(IChatMember member, string nick)
    {
        var link = _cluster.Link;
        if (link is not { IsUp: true })
        {
            throw Paused($"nick changes are paused: the other servers cannot be reached to check that {nick} is free; try again later");
        }

        var owner = _cluster.Node.MemberId(member.Process.Id) + "\t";
        try
        {
            var claimed = (long)await Bounded(link.Database.ScriptEvaluateAsync(
                ClusterScripts.ClaimNick,
                [_cluster.Node.Keys.Nick(nick), _cluster.Node.Keys.NodeNicks(_cluster.Node.Name)],
                [owner + nick, owner, nick.ToLowerInvariant()])).ConfigureAwait(false);
            return claimed == 1;
        }
        catch (Exception exception) when (RedisCalls.Failed(exception))
        {
            throw Paused($"nick changes are paused: the other servers cannot be reached to check that {nick} is free; try again later");
        }
    }

    /// <summary>
    /// Frees <paramref name="nick"/> if <paramref name="member"/> holds it in Redis; completes when it is
    /// free, or at once when Redis is away (then the next reconciliation frees it). Never throws.
    /// </summary>
    public async Task ReleaseAsync(ProcessId member, string nick)
    {
        if (_cluster.Link is not { IsUp: true } link)
        {
            return;
        }

        try
        {
            await Bounded(link.Database.ScriptEvaluateAsync(
                ClusterScripts.ReleaseNick,
                [_cluster.Node.Keys.Nick(nick), _cluster.Node.Keys.NodeNicks(_cluster.Node.Name)],
                [_cluster.Node.MemberId(member) + "\t", nick.ToLowerInvariant()])).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisCalls.Failed(exception))
        {
            // Freed by the next reconciliation.
        }
    }

    /// <summary>The person holding <paramref name="nick"/> on another node, or null.</summary>
    /// <exception cref="ClusterPausedException">Redis cannot be reached.</exception>
    public async Task<IChatMember?> FindAsync(string nick)
    {
        var link = _cluster.Link;
        var unreachable = $"{nick} is not on this server, and the other servers cannot be reached now; try again later";
        if (link is not { IsUp: true })
        {
            throw Paused(unreachable);
        }

        RedisValue owner;
        try
        {
            owner = await Bounded(link.Database.StringGetAsync(_cluster.Node.Keys.Nick(nick))).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisCalls.Failed(exception))
        {
            throw Paused(unreachable);
        }

        if (owner.IsNullOrEmpty || ((string)owner!).Split('\t', 2) is not [var member, var holder] || _cluster.Node.IsMine(member))
        {
            return null;
        }

        return new RemoteMember(_cluster, member, holder);
    }

    /// <summary>
    /// Handles a signal: status changes (people told, the inbox attached or caught up, the nicks held
    /// here claimed again, the node's stale ones freed, and a nick another node's member took meanwhile
    /// taken back from its holder here through <paramref name="revoke"/>) and inbox entries (delivered to the member <paramref name="findHere"/> finds by process). <paramref name="here"/> lists the members here, asked only on a status change.
    /// </summary>
    public async ValueTask HandleAsync(FollowerSignal signal, Func<ProcessId, IChatMember?> findHere, Func<IReadOnlyCollection<(IChatMember Member, string Nick)>> here, Action<IChatMember> revoke)
    {
        switch (signal)
        {
            case FollowerSignal.Status { Value: var status }:
                var up = status != ClusterStatus.Down;
                if (_heard && up != _up)
                {
                    foreach (var (member, _) in here())
                    {
                        member.Deliver(new ChatEvent.ClusterLinkChanged(isPaused: !up));
                    }
                }

                _heard = true;
                _up = up;
                if (!up)
                {
                    // Whoever pinged through Redis no longer waits for this node either.
                    _inbox.ReleaseWaiters();
                }

                if (status == ClusterStatus.StillUp && _inbox.IsAttached && !_reconcileNeeded && _cluster.Link is { } link)
                {
                    _inbox.CatchUp(link);
                }
                else if (up)
                {
                    await ReconcileAsync(here(), revoke).ConfigureAwait(false);
                }

                break;
            default:
                _inbox.Handle(signal, _cluster.Link, entry => DeliverHere(entry, findHere), _ => { });
                break;
        }
    }

    private void DeliverHere(LogEntry logEntry, Func<ProcessId, IChatMember?> findHere)
    {
        var entry = logEntry.Entry!;
        if (entry.Kind is EntryKinds.Message or EntryKinds.Invited && _duplicates.IsNew(entry) && _cluster.Node.TryGetLocalProcess(entry.Member, out var recipient))
        {
            findHere(recipient)?.Deliver(entry.Kind == EntryKinds.Invited
                ? new ChatEvent.Invited(entry.Text!, entry.Nick) { To = entry.To }
                : new ChatEvent.PrivateMessage(entry.Nick, entry.Text ?? "") { To = entry.To });
        }
    }

    /// <summary>Attaches to the inbox (or catches up), claims every nick held here, frees the node's nicks no one here holds.</summary>
    private async Task ReconcileAsync(IReadOnlyCollection<(IChatMember Member, string Nick)> here, Action<IChatMember> revoke)
    {
        if (_cluster.Link is not { } link)
        {
            return;
        }

        try
        {
            if (_inbox.IsAttached)
            {
                _inbox.CatchUp(link);
            }
            else
            {
                await _inbox.AttachAsync(link, recent: 1).ConfigureAwait(false);
            }

            var held = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (member, nick) in here)
            {
                if (await TryClaimAsync(member, nick).ConfigureAwait(false))
                {
                    held.Add(nick.ToLowerInvariant());
                }
                else
                {
                    // Taken on another node while this one was cut off (and declared lost): the other holder keeps it.
                    _cluster.Logger.LogWarning("cluster: {Nick} was taken on another node while this one was cut off; its holder here gets another nick", nick);
                    revoke(member);
                }
            }

            var nodeNicks = _cluster.Node.Keys.NodeNicks(_cluster.Node.Name);
            foreach (var stale in await Bounded(link.Database.SetMembersAsync(nodeNicks)).ConfigureAwait(false))
            {
                if (!held.Contains((string)stale!))
                {
                    await Bounded(link.Database.ScriptEvaluateAsync(
                        ClusterScripts.ReleaseNick,
                        [_cluster.Node.Keys.Nick((string)stale!), nodeNicks],
                        [_cluster.Node.Name + "/", (string)stale!])).ConfigureAwait(false);
                }
            }

            _reconcileNeeded = false;
        }
        catch (Exception exception) when (RedisCalls.Failed(exception) || exception is ClusterPausedException)
        {
            _reconcileNeeded = true;
            _cluster.Logger.LogDebug("cluster: reconciling nicks failed, tried again within {Interval}: {Error}", ClusterLink.CatchUpInterval, exception.Message);
        }
    }

    /// <summary>
    /// A guest nick made while Redis is away: <c>guestN-node</c>. A node name too long for the nick rules
    /// is cut and ends in four characters of its hash, so two long names that share a beginning still differ.
    /// </summary>
    private string OutageGuestNick(long number)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"guest{number}-");
        var node = new string(_cluster.Node.Name.Select(c => NickName.IsNickChar(c) ? c : '_').ToArray());
        var room = NickName.MaxLength - prefix.Length;
        if (node.Length > room)
        {
            node = node[..Math.Max(0, room - 4)] + NameHash(_cluster.Node.Name)[..Math.Min(4, room)];
        }

        return prefix + node;
    }

    /// <summary>A stable hash of <paramref name="name"/> in base 36 (FNV-1a): the same on every run and machine.</summary>
    private static string NameHash(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var text = new char[6];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = digits[(int)(hash % 36)];
            hash /= 36;
        }

        return new string(text);
    }

    private static ClusterPausedException Paused(string message) => new(message);

    /// <summary>Waits for <paramref name="call"/> at most <see cref="s_callTimeout"/>; a call given up on is still observed when it ends.</summary>
    /// <exception cref="TimeoutException">Redis did not answer in time.</exception>
    private static async Task<T> Bounded<T>(Task<T> call)
    {
        try
        {
            return await call.WaitAsync(s_callTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            RedisCalls.Forget(call);
            throw;
        }
    }
}
