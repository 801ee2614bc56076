using ChatServer.Chat;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>
/// The node's one writer to Redis: appends entries in the order they were handed in, so what one
/// person says reaches every log in order. Entries are sent pipelined in batches of what arrived
/// meanwhile; while Redis is away they wait here, up to <see cref="ClusterNode.Backlog"/> lines, and
/// go out in order when it answers again. A line past the bound is rejected at once (its writer is
/// told), never dropped silently. A write that may have reached Redis before its connection broke is
/// written again: the entries carry ids, and receivers drop what they have seen.
/// </summary>
internal sealed class ClusterOutbox : Worker<ClusterOutbox.Message>
{
    // The most entries in flight at once: enough to fill a pipeline, few enough to retry cheaply.
    private const int MaxBatch = 256;

    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(100);

    private readonly ClusterNode _node;
    private readonly ProcessRegistry _names;
    private readonly ILogger _logger;

    /// <summary>What is still to be written, oldest first.</summary>
    private readonly Queue<OutboxWrite> _pending = new();

    /// <summary>How many of <see cref="_pending"/> are lines (the bounded part).</summary>
    private int _pendingLines;

    /// <summary>The number of the last entry numbered here (<see cref="OutboxWrite.NumberedHere"/>).</summary>
    private long _numbered;

    /// <summary>Whether the link says Redis answers.</summary>
    private bool _up;

    /// <summary>The wait before the next try after a failed batch; doubles up to a second.</summary>
    private TimeSpan _retryDelay = s_firstRetry;

    /// <summary>Posts a retry after a failed batch.</summary>
    private ITimer? _retryTimer;

    /// <summary>Creates the outbox of <paramref name="node"/>; it finds the link in <paramref name="names"/>.</summary>
    public ClusterOutbox(ClusterNode node, ProcessRegistry names, ILogger logger, TimeProvider timeProvider)
        : base(new WorkerOptions { Name = ServiceNames.ClusterOutbox, TimeProvider = timeProvider })
    {
        _node = node;
        _names = names;
        _logger = logger;
    }

    /// <summary>The outbox's mailbox protocol.</summary>
    public abstract record Message;

    private sealed record Write(OutboxWrite Entry) : Message;

    private sealed record StatusChanged(ClusterStatus Status) : Message;

    private sealed record Retry : Message;

    /// <summary>Queues <paramref name="write"/> behind everything handed in before it. Never waits; false once the outbox is stopping.</summary>
    public bool Append(OutboxWrite write) => Tell(new Write(write));

    /// <inheritdoc />
    protected override ValueTask InitAsync(CancellationToken cancellationToken)
    {
        var link = _names.WhereIs(ServiceNames.ClusterLink) as ClusterLink ?? throw new ServiceUnavailableException();
        link.Watch(this, status => Tell(new StatusChanged(status)));
        _retryTimer = TimeProvider.CreateTimer(static state => ((ClusterOutbox)state!).Tell(new Retry()), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Write { Entry: var write }:
                Enqueue(write);
                break;
            case StatusChanged changed:
                _up = changed.Status != ClusterStatus.Down;
                _retryDelay = s_firstRetry;
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Everything that arrived meanwhile goes out as one pipelined batch.</summary>
    protected override async ValueTask OnMailboxEmptyAsync(CancellationToken cancellationToken)
    {
        while (_up && _pending.Count > 0 && !IsStopRequested)
        {
            if (!await WriteBatchAsync().ConfigureAwait(false))
            {
                _retryTimer?.Change(_retryDelay, Timeout.InfiniteTimeSpan);
                _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
                return;
            }

            _retryDelay = s_firstRetry;
            if (MailboxCount > 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// On a graceful stop, what is still queued (the quits of this node's people, above all) is written
    /// while Redis answers, until the shutdown timeout cancels <paramref name="cancellationToken"/>.
    /// </summary>
    protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        _retryTimer?.Dispose();
        while (_up && _pending.Count > 0 && !cancellationToken.IsCancellationRequested && await WriteBatchAsync().ConfigureAwait(false))
        {
        }

        if (_pending.Count > 0)
        {
            ClusterMetrics.Backlog.Add(-_pending.Count);
            _logger.LogWarning("cluster {Cluster}: the outbox stops with {Count} entries not written to Redis", _node.Keys.Prefix, _pending.Count);
        }
    }

    private void Enqueue(OutboxWrite write)
    {
        if (write.IsLine && _pendingLines >= _node.Backlog)
        {
            ClusterMetrics.LinesRejected.Add(1);
            write.OnRejected?.Invoke(write);
            return;
        }

        ClusterMetrics.Backlog.Add(1);
        _pending.Enqueue(write.NumberedHere ? write with { Entry = write.Entry with { Origin = _node.WriterId(Id), Seq = ++_numbered } } : write);
        _pendingLines += write.IsLine ? 1 : 0;
    }

    /// <summary>Sends up to <see cref="MaxBatch"/> entries pipelined; removes those written. False when Redis failed.</summary>
    private async Task<bool> WriteBatchAsync()
    {
        var link = _names.WhereIs(ServiceNames.ClusterLink) as ClusterLink;
        if (link is null)
        {
            return false;
        }

        var database = link.Database;
        var batch = _pending.Take(MaxBatch).ToList();
        var sent = batch.Select(write => database.ScriptEvaluateAsync(ClusterScripts.Append, Keys(write), Values(write))).ToList();
        foreach (var (write, task) in batch.Zip(sent))
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (RedisServerException exception)
            {
                // Redis refused this entry (e.g. a foreign key of another type): it would fail forever, so it is dropped, loudly.
                _logger.LogError("cluster {Cluster}: Redis refused an entry for {Room}, dropped: {Error}", _node.Keys.Prefix, write.Room, exception.Message);
                write.OnRejected?.Invoke(write);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or ObjectDisposedException)
            {
                // In order: nothing after a failed write counts as written. Those that did reach Redis come again, as duplicates receivers drop.
                ObserveRest(sent);
                return false;
            }

            _pending.Dequeue();
            _pendingLines -= write.IsLine ? 1 : 0;
            ClusterMetrics.Backlog.Add(-1);
        }

        ClusterMetrics.EntriesWritten.Add(batch.Count);
        return true;
    }

    private RedisKey[] Keys(OutboxWrite write) =>
        [write.Keys.Log, write.Keys.Meta, write.Keys.Members, _node.Keys.Rooms, _node.Keys.NodeRooms(_node.Name)];

    private RedisValue[] Values(OutboxWrite write) =>
    [
        write.Effect, write.Entry.Member, write.Effect == AppendEffects.Nick ? write.Entry.Text : write.Entry.Nick, write.Entry.ToJson(),
        _node.Retention, write.Keys.Channel.ToString(), write.Room.ToLowerInvariant(), write.Room,
    ];

    /// <summary>The failed batch's other tasks fail too: observe them, so no exception goes unobserved.</summary>
    private static void ObserveRest(List<Task<RedisResult>> sent)
    {
        foreach (var task in sent)
        {
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
