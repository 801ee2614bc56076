using ChatServer.Chat;
using Microsoft.Extensions.Logging;
using Polly;
using StackExchange.Redis;
using Supervision;

namespace ChatServer.Cluster;

/// <summary>
/// The node's one writer to Redis: appends entries in the order they were handed in, so what one
/// person says reaches every log in order. What arrived meanwhile goes out as one script call (Redis
/// runs it without interruption; a script stopped by an error keeps what it wrote before, so those
/// entries come again and receivers drop the repeats); while Redis is away they wait here, up to <see cref="ClusterNode.Backlog"/> lines, and
/// go out in order when it answers again. A line past the bound is rejected at once (its writer is
/// told), never dropped silently. A write that may have reached Redis before its connection broke is
/// written again: the entries carry ids, and receivers drop what they have seen. After a failed batch
/// (Redis loading, out of memory, a connection that broke) the next tries wait with exponential backoff
/// and jitter from <see cref="FirstRetry"/> up to <see cref="LongestRetry"/>, timed by Polly on the worker's clock.
/// </summary>
internal sealed class ClusterOutbox : Worker<ClusterOutbox.Message>
{
    // The most entries in one script call: enough to amortise the call, few enough to retry cheaply.
    private const int MaxBatch = 256;

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

    /// <summary>Times the tries after a failed batch: each one is a <see cref="Retry"/> call into this loop, whose answer says whether another is wanted.</summary>
    private readonly ResiliencePipeline<bool> _backoff;

    /// <summary>Ends the tries under way after a failed batch (and identifies them); null when none are.</summary>
    private CancellationTokenSource? _retrying;

    /// <summary>The answer the try under way waits for: sent once <see cref="OnMailboxEmptyAsync"/> has tried.</summary>
    private Reply<bool>? _retryAnswer;

    /// <summary>Entries queued so far, and of them written or dropped: a flush waits until the second reaches what the first was.</summary>
    private long _queued, _settled;

    /// <summary>Flushes waiting for the entries queued before them (<see cref="FlushAsync"/>), oldest first.</summary>
    private readonly Queue<(long Queued, Reply<bool> Reply)> _flushes = new();

    /// <summary>Creates the outbox of <paramref name="node"/>; it finds the link in <paramref name="names"/>.</summary>
    public ClusterOutbox(ClusterNode node, ProcessRegistry names, ILogger logger, TimeProvider timeProvider)
        : base(new WorkerOptions { Name = ServiceNames.ClusterOutbox, TimeProvider = timeProvider })
    {
        _node = node;
        _names = names;
        _logger = logger;
        // Jitter: nodes whose writes fail together (a Redis that loads after a restart) do not retry in lock-step.
        _backoff = new RestartBackoff { InitialDelay = FirstRetry, MaxDelay = LongestRetry, UseJitter = true }.BuildPipeline(timeProvider);
    }

    /// <summary>The median wait before the first try after a failed batch; each further try doubles it.</summary>
    public static TimeSpan FirstRetry { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The cap on any one wait between tries.</summary>
    public static TimeSpan LongestRetry { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The outbox's mailbox protocol.</summary>
    public abstract record Message;

    private sealed record Write(OutboxWrite Entry) : Message;

    private sealed record StatusChanged(ClusterStatus Status) : Message;

    /// <summary>A try of the backoff <paramref name="Tries"/> (stale once they ended); answered whether another is wanted.</summary>
    private sealed record Retry(CancellationTokenSource Tries, Reply<bool> AnotherWanted) : Message;

    private sealed record Flush(Reply<bool> Reply) : Message;

    /// <summary>Queues <paramref name="write"/> behind everything handed in before it. Never waits; false once the outbox is stopping.</summary>
    public bool Append(OutboxWrite write) => Tell(new Write(write));

    /// <summary>
    /// Completes once everything handed in before has been written to Redis (or dropped, its writer told), so a
    /// <c>/ping</c> can ask the other nodes to deliver it; at once while Redis is away (the barrier is then this node's only),
    /// and when the outbox stops. While Redis answers but refuses writes it waits; the call's default timeout then
    /// ends it with <see cref="CallTimeoutException"/> (the flush stays queued until a write succeeds or Redis goes away).
    /// Throws <see cref="ProcessExitedException"/> when the outbox has exited.
    /// </summary>
    public Task FlushAsync() => CallAsync<bool>(reply => new Flush(reply));

    /// <inheritdoc />
    protected override ValueTask InitAsync(CancellationToken cancellationToken)
    {
        var link = _names.WhereIs(ServiceNames.ClusterLink) as ClusterLink ?? throw new ServiceUnavailableException();
        link.Watch(this, status => Tell(new StatusChanged(status)));
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
                // Down ends the tries (nothing is tried while down), so the first try after Redis is back waits the first delay again.
                _up = changed.Status != ClusterStatus.Down;
                if (!_up)
                {
                    ReleaseFlushes(all: true);
                }

                break;
            case Retry retry when retry.Tries == _retrying:
                // Tried once the mailbox is empty (OnMailboxEmptyAsync), which answers.
                _retryAnswer = retry.AnotherWanted;
                break;
            case Retry stale:
                stale.AnotherWanted.Send(false);
                break;
            case Flush flush when !_up || _settled >= _queued:
                flush.Reply.Send(true);
                break;
            case Flush flush:
                _flushes.Enqueue((_queued, flush.Reply));
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Everything that arrived meanwhile goes out as one batch (one script call), repeated while entries wait and the mailbox is empty.</summary>
    protected override async ValueTask OnMailboxEmptyAsync(CancellationToken cancellationToken)
    {
        while (_up && _pending.Count > 0 && !IsStopRequested)
        {
            if (!await WriteBatchAsync().ConfigureAwait(false))
            {
                RetryLater();
                return;
            }

            EndRetries();
            if (MailboxCount > 0)
            {
                return;
            }
        }

        // Nothing failed: written, nothing to write, or Redis is down (its return starts the next try).
        EndRetries();
    }

    /// <summary>
    /// On a graceful stop, what is still queued (the quits of this node's people, above all) is written
    /// while Redis answers, until the shutdown timeout cancels <paramref name="cancellationToken"/>.
    /// </summary>
    protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        EndRetries();
        while (_up && _pending.Count > 0 && !cancellationToken.IsCancellationRequested && await WriteBatchAsync().ConfigureAwait(false))
        {
        }

        if (_pending.Count > 0)
        {
            ClusterMetrics.Backlog.Add(-_pending.Count);
            _logger.LogWarning("cluster {Cluster}: the outbox stops with {Count} entries not written to Redis", _node.Keys.Prefix, _pending.Count);
        }

        ReleaseFlushes(all: true);
    }

    /// <summary>A batch failed: the try under way (if any) is answered "another", or the tries start; a try caused by a new message keeps the schedule.</summary>
    private void RetryLater()
    {
        if (_retrying is null)
        {
            _retrying = new CancellationTokenSource();
            _ = RetryAsync(_retrying, _retrying.Token);
        }

        _retryAnswer?.Send(true);
        _retryAnswer = null;
    }

    /// <summary>Nothing is left to retry: the tries under way end, and the next failure waits the first delay again.</summary>
    private void EndRetries()
    {
        if (_retrying is null)
        {
            return;
        }

        _retrying.Cancel();
        _retrying.Dispose();
        _retrying = null;
        _retryAnswer?.Send(false);
        _retryAnswer = null;
    }

    /// <summary>Off the loop: waits each delay of the backoff, then asks the loop to try, until a try answers that none is wanted or <see cref="EndRetries"/> cancels.</summary>
    private async Task RetryAsync(CancellationTokenSource tries, CancellationToken cancellationToken)
    {
        // The failed try already happened on the loop: the first outcome only starts the first wait.
        var triedAlready = true;
        try
        {
            await _backoff.ExecuteAsync(
                async token =>
                {
                    if (triedAlready)
                    {
                        triedAlready = false;
                        return true;
                    }

                    return await CallAsync<bool>(reply => new Retry(tries, reply), Timeout.InfiniteTimeSpan, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ProcessExitedException or ObjectDisposedException)
        {
            // Ended by a written batch or a stop: nothing is left to retry here.
        }
    }

    private void Enqueue(OutboxWrite write)
    {
        if (write.IsLine && _pendingLines >= _node.Backlog)
        {
            ClusterMetrics.LinesRejected.Add(1);
            write.OnRejected?.Invoke(write, "their backlog is full");
            return;
        }

        ClusterMetrics.Backlog.Add(1);
        _pending.Enqueue(write.NumberedHere ? write with { Entry = write.Entry with { Origin = _node.WriterId(Id), Seq = ++_numbered } } : write);
        _pendingLines += write.IsLine ? 1 : 0;
        _queued++;
    }

    /// <summary>Writes up to <see cref="MaxBatch"/> entries in one script call; removes them once written. False when Redis failed.</summary>
    private async Task<bool> WriteBatchAsync()
    {
        if (_names.WhereIs(ServiceNames.ClusterLink) is not ClusterLink link)
        {
            return false;
        }

        var batch = _pending.Take(MaxBatch).ToList();
        try
        {
            await WriteAsync(link.Database, batch).ConfigureAwait(false);
        }
        catch (RedisServerException exception) when (IsTransient(exception))
        {
            return false;
        }
        catch (RedisServerException) when (batch.Count > 1)
        {
            // Redis refused an entry of the batch (those before it are written, and come again as repeats): find it, one entry at a time.
            return await WriteOneByOneAsync(link.Database, batch).ConfigureAwait(false);
        }
        catch (RedisServerException exception)
        {
            Drop(batch[0], exception);
            return true;
        }
        catch (Exception exception) when (RedisCalls.Failed(exception))
        {
            // Nothing counts as written; if the batch did reach Redis, it comes again as repeats receivers drop.
            return false;
        }

        foreach (var _ in batch)
        {
            Written();
        }

        return true;
    }

    private async Task<bool> WriteOneByOneAsync(IDatabase database, List<OutboxWrite> batch)
    {
        foreach (var write in batch)
        {
            try
            {
                await WriteAsync(database, [write]).ConfigureAwait(false);
                Written();
            }
            catch (RedisServerException exception) when (!IsTransient(exception))
            {
                Drop(write, exception);
            }
            catch (Exception exception) when (RedisCalls.Failed(exception))
            {
                return false;
            }
        }

        return true;
    }

    private Task<RedisResult> WriteAsync(IDatabase database, List<OutboxWrite> batch)
    {
        var keys = new RedisKey[2 + (3 * batch.Count)];
        var values = new RedisValue[1 + (7 * batch.Count)];
        keys[0] = _node.Keys.Rooms;
        keys[1] = _node.Keys.NodeRooms(_node.Name);
        values[0] = _node.Retention;
        for (var i = 0; i < batch.Count; i++)
        {
            var write = batch[i];
            keys[2 + (3 * i)] = write.Keys.Log;
            keys[3 + (3 * i)] = write.Keys.Meta;
            keys[4 + (3 * i)] = write.Keys.Members;
            var at = 1 + (7 * i);
            values[at] = write.Effect;
            values[at + 1] = write.Entry.Member;
            values[at + 2] = write.Effect == AppendEffects.Nick ? write.Entry.Text : write.Entry.Nick;
            values[at + 3] = write.Entry.ToJson();
            values[at + 4] = write.Keys.Channel.ToString();
            values[at + 5] = write.Room.ToLowerInvariant();
            values[at + 6] = write.Room;
        }

        return database.ScriptEvaluateAsync(ClusterScripts.AppendBatch, keys, values);
    }

    /// <summary>An error Redis gives while it cannot take writes for now (loading, a failover, out of memory, a failing disk): try again, drop nothing.</summary>
    private static bool IsTransient(RedisServerException exception) =>
        exception.Message.StartsWith("LOADING", StringComparison.Ordinal)
        || exception.Message.StartsWith("BUSY", StringComparison.Ordinal)
        || exception.Message.StartsWith("READONLY", StringComparison.Ordinal)
        || exception.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
        || exception.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || exception.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
        || exception.Message.StartsWith("OOM", StringComparison.Ordinal)
        || exception.Message.StartsWith("MISCONF", StringComparison.Ordinal)
        || exception.Message.StartsWith("NOREPLICAS", StringComparison.Ordinal);

    /// <summary>The oldest entry is written: it leaves the backlog.</summary>
    private void Written()
    {
        var write = _pending.Dequeue();
        _pendingLines -= write.IsLine ? 1 : 0;
        ClusterMetrics.Backlog.Add(-1);
        ClusterMetrics.EntriesWritten.Add(1);
        _settled++;
        ReleaseFlushes(all: false);
    }

    /// <summary>Redis refused the oldest entry (e.g. a key of another type in its place): it would fail forever, so it is dropped, loudly.</summary>
    private void Drop(OutboxWrite write, RedisServerException exception)
    {
        _logger.LogError("cluster {Cluster}: Redis refused an entry for {Room}, dropped: {Error}", _node.Keys.Prefix, write.Room, exception.Message);
        _pending.Dequeue();
        _pendingLines -= write.IsLine ? 1 : 0;
        ClusterMetrics.Backlog.Add(-1);
        write.OnRejected?.Invoke(write, "Redis refused it");
        _settled++;
        ReleaseFlushes(all: false);
    }

    /// <summary>Answers the flushes whose entries are all written (<paramref name="all"/>: every one).</summary>
    private void ReleaseFlushes(bool all)
    {
        while (_flushes.TryPeek(out var flush) && (all || flush.Queued <= _settled))
        {
            _flushes.Dequeue().Reply.Send(true);
        }
    }
}
