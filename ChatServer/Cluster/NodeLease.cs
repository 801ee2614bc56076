using System.Globalization;
using ChatServer.Chat;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>
/// Keeps this node's lease and judges the others'. Every quarter lease it writes a heartbeat (a counter
/// under the node's name) and reads everyone's. A node whose heartbeat has not changed for a whole lease
/// <em>while this node watched without a break</em> is lost: one survivor's clean-up script (atomic, and
/// only if the heartbeat is still the one seen) ends its people's memberships with a quit in every room
/// and frees their nicks. Judging by this node's own clock and continuous watching, not by key expiry in
/// Redis, means a Redis pause shorter than the lease never makes anyone lost: after a pause the watch
/// starts again, and every node renews its lease before anyone has watched long enough.
/// On its first run the node clears what a previous run under the same name left (no ghosts).
/// </summary>
internal sealed class NodeLease : Worker<NodeLease.Message>
{
    private readonly ClusterNode _node;
    private readonly ProcessRegistry _names;
    private readonly ILogger _logger;

    /// <summary>Each other node's last heartbeat and when this node first saw it (a timestamp).</summary>
    private readonly Dictionary<string, (string Heartbeat, long Since)> _seen = [];

    /// <summary>Posts the next beat.</summary>
    private ITimer? _timer;

    /// <summary>Heartbeats written by this run.</summary>
    private long _beats;

    /// <summary>Whether the previous run's leftovers are cleared.</summary>
    private bool _clearedOwn;

    /// <summary>When the last full read of the heartbeats succeeded (a timestamp), or null after a failure: watching starts again.</summary>
    private long? _lastRead;

    /// <summary>Creates the lease keeper of <paramref name="node"/>.</summary>
    public NodeLease(ClusterNode node, ProcessRegistry names, ILogger logger, TimeProvider timeProvider)
        : base(new WorkerOptions { Name = ServiceNames.NodeLease, TimeProvider = timeProvider })
    {
        _node = node;
        _names = names;
        _logger = logger;
        Interval = node.Lease / 4;
    }

    /// <summary>The lease keeper's mailbox protocol.</summary>
    public abstract record Message;

    private sealed record Beat : Message;

    /// <summary>How often the heartbeat is written and the others' read.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The first beat (with the clean-up of previous runs) is tried before the chat services start, so no one registers into the ghosts.</summary>
    protected override async ValueTask InitAsync(CancellationToken cancellationToken)
    {
        _timer = TimeProvider.CreateTimer(static state => ((NodeLease)state!).Tell(new Beat()), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        await HandleAsync(new Beat(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
    {
        try
        {
            if (_names.WhereIs(ServiceNames.ClusterLink) is ClusterLink link)
            {
                await BeatAsync(link.Database, link).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (RedisCalls.Failed(exception) || exception is ServiceUnavailableException)
        {
            _lastRead = null;
            _logger.LogDebug("cluster {Cluster}: heartbeat failed: {Error}", _node.Keys.Prefix, exception.Message);
        }

        _timer?.Change(Interval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// On a graceful stop the node leaves the cluster at once, rather than after its lease: whoever of
    /// its people is still a member somewhere quits with the shutdown's reason, and its nicks are freed.
    /// </summary>
    protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        if (reason.Kind != ExitKind.Shutdown || _names.WhereIs(ServiceNames.ClusterLink) is not ClusterLink { IsUp: true } link)
        {
            return;
        }

        try
        {
            await ReapAsync(link.Database, _node.Name, seen: "", "server shutting down", keep: "").WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisCalls.Failed(exception) || exception is OperationCanceledException)
        {
            _logger.LogWarning("cluster {Cluster}: could not leave the cluster on stop ({Error}); the others will declare node {Node} lost after its lease", _node.Keys.Prefix, exception.Message, _node.Name);
        }
    }

    private async Task BeatAsync(IDatabase database, ClusterLink link)
    {
        if (!_clearedOwn)
        {
            var ended = await ReapAsync(database, _node.Name, seen: "", $"server {_node.Name} restarted", keep: _node.RunPrefix).ConfigureAwait(false);
            _clearedOwn = true;
            if (ended > 0)
            {
                _logger.LogInformation("cluster {Cluster}: cleared {Count} memberships left by this node's previous run", _node.Keys.Prefix, ended);
            }
        }

        var wasKnown = (long)await database.ScriptEvaluateAsync(
            ClusterScripts.Heartbeat,
            [_node.Keys.Nodes],
            [_node.Name, _node.Origin, ++_beats]).ConfigureAwait(false);
        if (wasKnown == 0 && _node.HasJoined)
        {
            link.ReportLost();
        }

        _node.HasJoined = true;

        var heartbeats = await database.HashGetAllAsync(_node.Keys.Nodes).ConfigureAwait(false);
        var now = TimeProvider.GetTimestamp();
        if (_lastRead is not { } last || TimeProvider.GetElapsedTime(last, now) > _node.Lease / 2)
        {
            // A gap in watching (a failure, a Redis pause, a stalled machine): nobody is judged on it.
            _seen.Clear();
        }

        _lastRead = now;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var heartbeat in heartbeats)
        {
            string node = heartbeat.Name!, value = heartbeat.Value!;
            present.Add(node);
            if (node == _node.Name)
            {
                continue;
            }

            if (!_seen.TryGetValue(node, out var seen) || seen.Heartbeat != value)
            {
                _seen[node] = (value, now);
            }
            else if (TimeProvider.GetElapsedTime(seen.Since, now) >= _node.Lease)
            {
                _seen.Remove(node);
                var ended = await ReapAsync(database, node, value, $"server {node} lost", keep: "").ConfigureAwait(false);
                if (ended >= 0)
                {
                    ClusterMetrics.NodesLost.Add(1);
                    _logger.LogWarning("cluster {Cluster}: node {Node} lost (no heartbeat for {Lease} s); {Count} memberships ended, its nicks freed", _node.Keys.Prefix, node, _node.Lease.TotalSeconds, ended);
                }
            }
        }

        foreach (var gone in _seen.Keys.Where(node => !present.Contains(node)).ToList())
        {
            _seen.Remove(gone);
        }
    }

    private async Task<long> ReapAsync(IDatabase database, string node, string seen, string reason, string keep) =>
        (long)await database.ScriptEvaluateAsync(
            ClusterScripts.Reap,
            [_node.Keys.Nodes],
            [_node.Keys.Prefix, node, seen, reason, _node.Retention.ToString(CultureInfo.InvariantCulture), keep]).ConfigureAwait(false);
}
