using ChatServer.Chat;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>
/// The node's connection to Redis (one StackExchange.Redis multiplexer for every cluster worker) and
/// the judge of whether Redis is reachable: it pings on a short period and on every connection event,
/// and tells its watchers when the answer changes (<see cref="ClusterStatus"/>). It starts even when
/// Redis is unreachable (the multiplexer reconnects with its own exponential backoff) and says so.
/// Workers that subscribe through it are linked to it: they end when it ends and start again with its next incarnation.
/// </summary>
internal sealed class ClusterLink : Worker<ClusterLink.Message>
{
    private readonly ClusterNode _node;
    private readonly ILogger _logger;

    /// <summary>Who is told of status changes, by process: removed when the watcher exits.</summary>
    private readonly Dictionary<ProcessId, Action<ClusterStatus>> _watchers = [];

    /// <summary>The multiplexer; set by <see cref="InitAsync"/>.</summary>
    private ConnectionMultiplexer? _redis;

    /// <summary>Posts the next probe <see cref="ProbeInterval"/> after the last one was answered.</summary>
    private ITimer? _probeTimer;

    /// <summary>Whether the last probe was answered; written on this loop only, read by watchers as they start.</summary>
    private volatile bool _up;

    /// <summary>When watchers were last told <see cref="ClusterStatus.StillUp"/> (a timestamp).</summary>
    private long _lastStillUp;

    /// <summary>The Redis configuration without its password, for logs.</summary>
    private string _where = "";

    /// <summary>Creates the link of <paramref name="node"/>.</summary>
    public ClusterLink(ClusterNode node, ILogger logger, TimeProvider timeProvider)
        : base(new WorkerOptions { Name = ServiceNames.ClusterLink, TimeProvider = timeProvider })
    {
        _node = node;
        _logger = logger;
        ProbeInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, node.Lease.Ticks / 4));
    }

    /// <summary>The link's mailbox protocol.</summary>
    public abstract record Message;

    private sealed record Probe : Message;

    private sealed record AddWatcher(IProcess Watcher, Action<ClusterStatus> OnChange) : Message;

    private sealed record WatcherDown(ProcessDown Down) : Message;

    private sealed record WasLost : Message;

    /// <summary>How often Redis is pinged: a second, or a quarter of the lease when that is shorter.</summary>
    public TimeSpan ProbeInterval { get; }

    /// <summary>Whether Redis answered the last probe: the starting status of a new watcher, which then follows the changes it is told.</summary>
    public bool IsUp => _up;

    /// <summary>How often watchers are told <see cref="ClusterStatus.StillUp"/>.</summary>
    public static TimeSpan CatchUpInterval { get; } = TimeSpan.FromSeconds(2);

    /// <summary>The multiplexer every cluster worker uses.</summary>
    /// <exception cref="ServiceUnavailableException">The link has not started.</exception>
    public IConnectionMultiplexer Redis => _redis ?? throw new ServiceUnavailableException();

    /// <summary>The database the cluster's keys live in.</summary>
    public IDatabase Database => Redis.GetDatabase();

    /// <summary>
    /// Tells <paramref name="onChange"/> (on the link's loop: it must only post to its owner) the
    /// current status at once and every change after, until <paramref name="watcher"/> exits.
    /// </summary>
    public void Watch(IProcess watcher, Action<ClusterStatus> onChange) => Tell(new AddWatcher(watcher, onChange));

    /// <summary>The node lease found this node declared lost by the others: the watchers announce everything anew.</summary>
    public void ReportLost() => Tell(new WasLost());

    /// <inheritdoc />
    protected override async ValueTask InitAsync(CancellationToken cancellationToken)
    {
        var configuration = ConfigurationOptions.Parse(_node.Redis);
        configuration.AbortOnConnectFail = false;
        if (!configuration.ChannelPrefix.IsNullOrEmpty)
        {
            // The scripts publish on the channels' full names; a prefix applied only to SUBSCRIBE would miss every push.
            _logger.LogWarning("cluster {Cluster}: channelPrefix in --redis is ignored; --cluster-name prefixes every key and channel", _node.Keys.Prefix);
            configuration.ChannelPrefix = default;
        }


        // A command while disconnected fails at once: the outbox keeps its own ordered backlog.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName = _node.Name;
        configuration.ConnectTimeout = (int)Math.Min(2000, _node.Lease.TotalMilliseconds / 2);
        configuration.AsyncTimeout = configuration.ConnectTimeout;
        _where = configuration.ToString(includePassword: false);
        _redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        _redis.ConnectionFailed += OnConnectionEvent;
        _redis.ConnectionRestored += OnConnectionEvent;
        _up = _redis.IsConnected;
        if (_up)
        {
            _logger.LogInformation("cluster {Cluster}: node {Node} connected to Redis at {Redis}", _node.Keys.Prefix, _node.Name, _where);
        }
        else
        {
            _logger.LogWarning("cluster {Cluster}: node {Node} cannot reach Redis at {Redis}; retrying with backoff, messages to other servers are paused", _node.Keys.Prefix, _node.Name, _where);
        }

        _probeTimer = TimeProvider.CreateTimer(static state => ((ClusterLink)state!).Tell(new Probe()), this, ProbeInterval, Timeout.InfiniteTimeSpan);
    }

    /// <inheritdoc />
    protected override async ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Probe:
                SetStatus(await PingAsync().ConfigureAwait(false));

                // One-shot and re-armed after each answer: a Redis that hangs never piles probes up here.
                _probeTimer?.Change(ProbeInterval, Timeout.InfiniteTimeSpan);
                break;
            case AddWatcher add:
                _watchers[add.Watcher.Id] = add.OnChange;
                Monitor(add.Watcher, down => new WatcherDown(down));
                add.OnChange(_up ? ClusterStatus.Up : ClusterStatus.Down);
                break;
            case WatcherDown down:
                _watchers.Remove(down.Down.Process.Id);
                break;
            case WasLost:
                _logger.LogWarning("cluster {Cluster}: the other nodes declared node {Node} lost while it was cut off; announcing its people again", _node.Keys.Prefix, _node.Name);
                Notify(ClusterStatus.Rejoin);
                break;
        }
    }

    /// <inheritdoc />
    protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        _probeTimer?.Dispose();
        if (_redis is not null)
        {
            await _redis.CloseAsync(allowCommandsToComplete: true).ConfigureAwait(false);
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void OnKilled()
    {
        _probeTimer?.Dispose();
        _redis?.Dispose();
    }

    private void OnConnectionEvent(object? sender, ConnectionFailedEventArgs args) => Tell(new Probe());

    private async Task<bool> PingAsync()
    {
        try
        {
            await Database.PingAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (RedisCalls.Failed(exception))
        {
            return false;
        }
    }

    private void SetStatus(bool up)
    {
        if (up == _up)
        {
            if (up && TimeProvider.GetElapsedTime(_lastStillUp) >= CatchUpInterval)
            {
                _lastStillUp = TimeProvider.GetTimestamp();
                Notify(ClusterStatus.StillUp);
            }

            return;
        }

        _up = up;
        if (up)
        {
            _logger.LogInformation("cluster {Cluster}: Redis at {Redis} answers again; messages to other servers resume", _node.Keys.Prefix, _where);
        }
        else
        {
            ClusterMetrics.Outages.Add(1);
            _logger.LogWarning("cluster {Cluster}: Redis at {Redis} does not answer; messages to other servers are paused", _node.Keys.Prefix, _where);
        }

        Notify(up ? ClusterStatus.Up : ClusterStatus.Down);
    }

    private void Notify(ClusterStatus status)
    {
        foreach (var onChange in _watchers.Values)
        {
            onChange(status);
        }
    }
}
