using ChatServer.Chat;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>
/// Makes <c>/ping</c> a barrier on every node, not only on the sender's. The sender's node, once its own
/// lines are back from the logs, publishes one request per other node on that node's barrier channel
/// (<c>{chat}:node:NAME:barrier</c>): "deliver these rooms' logs up to these ids (and your inbox up to its
/// newest), then answer". The node asked hands the request to its rooms and its inbox, whose followers call
/// back once they have handed everything up to there to their members, and publishes an acknowledgement on
/// the asker's channel. Costs nothing for ordinary lines: only a ping after lines said publishes.
/// <para>
/// The sender does not wait for a node that cannot answer: PUBLISH says how many nodes listen, so a node
/// that is gone, or runs an older build without barriers (a rolling upgrade), is not waited for; a node
/// the lease table no longer lists (its lease ran out, it stopped) is let go at the next check, every
/// quarter lease; everything is let go when Redis stops answering (the barrier is then this node's only),
/// and after two leases at most (a node that is alive but does not keep up).
/// </para>
/// </summary>
internal sealed class ClusterBarriers : Worker<ClusterBarriers.Message>
{
    private readonly ClusterNode _node;
    private readonly ChatServices _services;
    private readonly ILogger _logger;

    /// <summary>This node's barriers waiting for other nodes, by token.</summary>
    private readonly Dictionary<long, Waiting> _waiting = [];

    /// <summary>Other nodes' requests being delivered here, by a number of this worker's.</summary>
    private readonly Dictionary<long, Serving> _serving = [];

    /// <summary>The subscription to this node's barrier channel, or null until Redis answers.</summary>
    private ChannelMessageQueue? _subscription;

    /// <summary>Posts the next check while anything waits.</summary>
    private ITimer? _timer;

    /// <summary>Whether a check is due: the timer runs only while something waits.</summary>
    private bool _timerArmed;

    /// <summary>The number of this node's last barrier.</summary>
    private long _lastToken;

    /// <summary>The number of the last request served here.</summary>
    private long _lastServing;

    /// <summary>Creates the barriers of <paramref name="node"/>; rooms, presence and the link are found through <paramref name="services"/>.</summary>
    public ClusterBarriers(ClusterNode node, ChatServices services, ILogger logger, TimeProvider timeProvider)
        : base(new WorkerOptions { Name = ServiceNames.ClusterBarriers, TimeProvider = timeProvider })
    {
        _node = node;
        _services = services;
        _logger = logger;
        CheckInterval = node.Lease / 4;
        GiveUpAfter = node.Lease * 2;
    }

    /// <summary>The mailbox protocol.</summary>
    public abstract record Message;

    private sealed record Wait(IReadOnlyList<LogPoint> Rooms, IReadOnlyCollection<string> InboxesOf, Reply<bool> Reply) : Message;

    private sealed record Received(string Payload) : Message;

    private sealed record Delivered(long Serving) : Message;

    private sealed record StatusChanged(ClusterStatus Status) : Message;

    private sealed record Check : Message;

    /// <summary>A barrier of this node: who has still to answer, and since when (a timestamp).</summary>
    private sealed record Waiting(Reply<bool> Reply, HashSet<string> Nodes, long Since);

    /// <summary>Another node's request: whom to answer, and how many of its logs are still being delivered here.</summary>
    private sealed class Serving(BarrierMessage request, long since)
    {
        /// <summary>The request.</summary>
        public BarrierMessage Request { get; } = request;

        /// <summary>When it arrived (a timestamp).</summary>
        public long Since { get; } = since;

        /// <summary>How many of its logs are still being delivered here.</summary>
        public int Left { get; set; } = request.Logs!.Count;
    }

    /// <summary>How often the nodes still awaited are checked against the lease table: a quarter lease.</summary>
    public TimeSpan CheckInterval { get; }

    /// <summary>The longest a barrier waits for other nodes: two leases, past the time a lost node takes to be declared lost.</summary>
    public TimeSpan GiveUpAfter { get; }

    /// <summary>The link, found by name at the moment of use; null while it restarts.</summary>
    private ClusterLink? CurrentLink => _services.Names.WhereIs(ServiceNames.ClusterLink) as ClusterLink;

    /// <summary>
    /// Completes once every other node live in the cluster has handed to its members the logs of
    /// <paramref name="rooms"/> up to their points and its inbox up to its newest entry (for the nodes of
    /// <paramref name="inboxesOf"/>), or once it is let go (see the class). Throws <see cref="ProcessExitedException"/>
    /// when this worker has exited (a link restart), and <see cref="CallTimeoutException"/> past two leases and 5 s.
    /// </summary>
    public Task WaitAsync(IReadOnlyList<LogPoint> rooms, IReadOnlyCollection<string> inboxesOf) =>
        CallAsync<bool>(reply => new Wait(rooms, inboxesOf, reply), GiveUpAfter + TimeSpan.FromSeconds(5));

    /// <inheritdoc />
    protected override ValueTask InitAsync(CancellationToken cancellationToken)
    {
        var link = CurrentLink ?? throw new ServiceUnavailableException();
        link.Watch(this, status => Tell(new StatusChanged(status)));
        _timer = TimeProvider.CreateTimer(static state => ((ClusterBarriers)state!).Tell(new Check()), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override async ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Wait wait:
                await StartAsync(wait).ConfigureAwait(false);
                break;
            case Received received:
                OnReceived(received.Payload);
                break;
            case Delivered delivered:
                OnDelivered(delivered.Serving);
                break;
            case StatusChanged { Status: ClusterStatus.Down }:
                // Nothing reaches the others now: every barrier is this node's only; requests can no longer be answered.
                ReleaseAll();
                _serving.Clear();
                break;
            case StatusChanged when _subscription is null && CurrentLink is { } link:
                await SubscribeAsync(link).ConfigureAwait(false);
                break;
            case Check:
                await CheckAsync().ConfigureAwait(false);
                break;
        }
    }

    /// <inheritdoc />
    protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        if (_subscription is { } subscription)
        {
            RedisCalls.Forget(subscription.UnsubscribeAsync());
        }

        ReleaseAll();
        return ValueTask.CompletedTask;
    }

    /// <summary>Listens on this node's barrier channel; the multiplexer keeps the subscription across reconnects.</summary>
    private async Task SubscribeAsync(ClusterLink link)
    {
        try
        {
            var subscription = await link.Redis.GetSubscriber().SubscribeAsync(_node.Keys.Barriers(_node.Name)).ConfigureAwait(false);
            subscription.OnMessage(message => Tell(new Received(message.Message.ToString())));
            _subscription = subscription;
        }
        catch (Exception exception) when (RedisCalls.Failed(exception))
        {
            // Tried again on the link's next word; meanwhile the others do not wait for this node (nobody listens).
            _logger.LogDebug("cluster {Cluster}: could not subscribe to the barrier channel: {Error}", _node.Keys.Prefix, exception.Message);
        }
    }

    /// <summary>Publishes one request per node with something to deliver; waits for those that listen.</summary>
    private async Task StartAsync(Wait wait)
    {
        if (CurrentLink is not { IsUp: true } link)
        {
            wait.Reply.Send(true);
            return;
        }

        if (_subscription is null)
        {
            // The answers come on this node's channel: without it nothing could be heard.
            await SubscribeAsync(link).ConfigureAwait(false);
            if (_subscription is null)
            {
                wait.Reply.Send(true);
                return;
            }
        }

        var logs = new Dictionary<string, List<BarrierLog>>(StringComparer.Ordinal);
        void Add(string node, BarrierLog log)
        {
            if (node != _node.Name)
            {
                (logs.TryGetValue(node, out var list) ? list : logs[node] = []).Add(log);
            }
        }

        foreach (var point in wait.Rooms)
        {
            foreach (var node in point.Nodes)
            {
                Add(node, new BarrierLog { Room = point.Room, UpTo = point.UpTo.ToString() });
            }
        }

        try
        {
            foreach (var node in wait.InboxesOf.Where(node => node != _node.Name))
            {
                // Everything this node wrote to that inbox is there (the outbox was flushed): its newest entry is the point.
                var newest = await link.Database.StreamRangeAsync(_node.Keys.Inbox(node).Log, "-", "+", 1, Order.Descending).ConfigureAwait(false);
                if (newest.Length > 0)
                {
                    Add(node, new BarrierLog { UpTo = newest[0].Id.ToString() });
                }
            }

            var token = ++_lastToken;
            var publishes = logs.Select(pair => (Node: pair.Key, Listeners: link.Redis.GetSubscriber().PublishAsync(
                _node.Keys.Barriers(pair.Key),
                new BarrierMessage { Kind = BarrierMessage.Request, Node = _node.Name, Run = _node.Origin, Token = token, Logs = pair.Value }.ToJson()))).ToList();
            await Task.WhenAll(publishes.Select(p => p.Listeners)).ConfigureAwait(false);

            // No listener: the node is gone, or runs a build without barriers; it is not waited for.
            var nodes = publishes.Where(p => p.Listeners.Result > 0).Select(p => p.Node).ToHashSet(StringComparer.Ordinal);
            if (nodes.Count == 0)
            {
                wait.Reply.Send(true);
                return;
            }

            _waiting[token] = new Waiting(wait.Reply, nodes, TimeProvider.GetTimestamp());
            ArmTimer();
        }
        catch (Exception exception) when (RedisCalls.Failed(exception))
        {
            // Redis failed meanwhile: the barrier is this node's only.
            wait.Reply.Send(true);
        }
    }

    /// <summary>An acknowledgement for a barrier of this node, or another node's request: its logs are handed to the room or presence here.</summary>
    private void OnReceived(string payload)
    {
        if (BarrierMessage.Parse(payload, out var problem) is not { } message)
        {
            ClusterMetrics.EntriesSkipped.Add(1);
            _logger.LogWarning("cluster: skipped a message on {Channel}: {Problem}", _node.Keys.Barriers(_node.Name), problem);
            return;
        }

        if (message.Kind == BarrierMessage.Ack)
        {
            if (message.Run == _node.Origin && _waiting.TryGetValue(message.Token, out var waiting) && waiting.Nodes.Remove(message.Node) && waiting.Nodes.Count == 0)
            {
                _waiting.Remove(message.Token);
                waiting.Reply.Send(true);
            }

            return;
        }

        var key = ++_lastServing;
        _serving[key] = new Serving(message, TimeProvider.GetTimestamp());
        ArmTimer();
        foreach (var log in message.Logs!)
        {
            void Done() => Tell(new Delivered(key));
            var upTo = StreamId.Parse(log.UpTo);

            // A room with no member here (none opened) has nothing to deliver here.
            var asked = log.Room is { } room
                ? _services.FindRoom(room)?.AwaitLog(upTo, Done) ?? false
                : _services.Presence?.AwaitInbox(upTo, Done) ?? false;
            if (!asked)
            {
                Done();
            }
        }
    }

    /// <summary>One log of a request is delivered here: once all are, the asker is told.</summary>
    private void OnDelivered(long key)
    {
        if (!_serving.TryGetValue(key, out var serving) || --serving.Left > 0)
        {
            return;
        }

        _serving.Remove(key);
        Publish(serving.Request.Node, new BarrierMessage { Kind = BarrierMessage.Ack, Node = _node.Name, Run = serving.Request.Run, Token = serving.Request.Token });
    }

    /// <summary>Lets go of the nodes the lease table no longer lists and of barriers past <see cref="GiveUpAfter"/>; forgets requests the asker has given up on.</summary>
    private async Task CheckAsync()
    {
        _timerArmed = false;
        var now = TimeProvider.GetTimestamp();
        foreach (var (key, serving) in _serving.Where(pair => TimeProvider.GetElapsedTime(pair.Value.Since, now) > GiveUpAfter).ToList())
        {
            _serving.Remove(key);
        }

        if (_waiting.Count > 0 && CurrentLink is { IsUp: true } link)
        {
            try
            {
                var live = (await link.Database.HashKeysAsync(_node.Keys.Nodes).ConfigureAwait(false)).Select(name => name.ToString()).ToHashSet(StringComparer.Ordinal);
                foreach (var waiting in _waiting.Values)
                {
                    waiting.Nodes.RemoveWhere(node => !live.Contains(node));
                }
            }
            catch (Exception exception) when (RedisCalls.Failed(exception))
            {
                // Judged at the next check; the link says whether Redis is away.
            }
        }

        foreach (var (token, waiting) in _waiting.ToList())
        {
            var late = TimeProvider.GetElapsedTime(waiting.Since, now) >= GiveUpAfter;
            if (waiting.Nodes.Count == 0 || late)
            {
                if (late && waiting.Nodes.Count > 0)
                {
                    _logger.LogWarning("cluster {Cluster}: a ping stopped waiting after {Seconds} s for node(s) {Nodes} to deliver", _node.Keys.Prefix, GiveUpAfter.TotalSeconds, string.Join(", ", waiting.Nodes));
                }

                _waiting.Remove(token);
                waiting.Reply.Send(true);
            }
        }

        ArmTimer();
    }

    /// <summary>Schedules the next check while anything waits.</summary>
    private void ArmTimer()
    {
        if (!_timerArmed && (_waiting.Count > 0 || _serving.Count > 0))
        {
            _timerArmed = true;
            _timer?.Change(CheckInterval, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Publishes <paramref name="message"/> on <paramref name="node"/>'s barrier channel without waiting: if it is lost, the asker's bounds let it go.</summary>
    private void Publish(string node, BarrierMessage message)
    {
        if (CurrentLink is { } link)
        {
            RedisCalls.Forget(link.Redis.GetSubscriber().PublishAsync(_node.Keys.Barriers(node), message.ToJson()));
        }
    }

    /// <summary>Answers every barrier of this node that waits.</summary>
    private void ReleaseAll()
    {
        foreach (var waiting in _waiting.Values)
        {
            waiting.Reply.Send(true);
        }

        _waiting.Clear();
    }
}
