using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ChatServer.Cluster;

/// <summary>
/// Follows one log in Redis for the worker that owns it (a room, presence): every entry exactly once,
/// in the log's order. Each append is pushed on the log's channel with the id before it; when that is
/// the id last applied, the pushed entry is applied at once (one round trip from writer to reader),
/// otherwise (a push lost in a reconnect, a late start) the follower reads the log from the last id
/// it applied (<c>XRANGE (id +</c>): StackExchange.Redis does not block on <c>XREAD</c>, so pushes are the
/// wake-up and ranges the truth. Entries the log no longer holds (trimmed past) are counted, not guessed.
/// Not thread-safe: everything runs on the owner's loop; callbacks from Redis only post <see cref="FollowerSignal"/>s.
/// </summary>
internal sealed class StreamFollower(StreamKeys keys, Action<FollowerSignal> post, ILogger logger)
{
    // Entries per catch-up read; a longer way behind takes several.
    private const int ReadCount = 512;

    /// <summary>The subscription to the log's channel, or null before attaching.</summary>
    private ChannelMessageQueue? _subscription;

    /// <summary>Whether a catch-up read is in flight (at most one).</summary>
    private bool _reading;

    /// <summary>Whether a push came during the read in flight: its entry may be newer than what the read saw.</summary>
    private bool _pushedWhileReading;

    /// <summary>Other nodes' barriers waiting for entries up to an id to be applied (<see cref="FollowerSignal.AwaitApplied"/>); few, and only while someone pings.</summary>
    private readonly List<FollowerSignal.AwaitApplied> _waiters = [];

    /// <summary>The id of the last entry applied.</summary>
    public StreamId LastId { get; private set; }

    /// <summary>The log's sequence number of the last entry applied: the next one must be one more, or entries were missed.</summary>
    public long LastSeq { get; private set; }

    /// <summary>Whether the follower has subscribed and taken its snapshot.</summary>
    public bool IsAttached => _subscription is not null;

    /// <summary>
    /// Subscribes to the log's channel, then takes a snapshot (members and the <paramref name="recent"/>
    /// newest entries) from which on entries are applied.
    /// </summary>
    /// <exception cref="RedisException">Redis is unreachable; nothing is left subscribed.</exception>
    public async Task<LogSnapshot> AttachAsync(ClusterLink link, int recent)
    {
        var subscription = await link.Redis.GetSubscriber().SubscribeAsync(keys.Channel).ConfigureAwait(false);
        RedisResult result;
        try
        {
            result = await link.Database.ScriptEvaluateAsync(ClusterScripts.Snapshot, [keys.Log, keys.Meta, keys.Members], [recent]).ConfigureAwait(false);
        }
        catch
        {
            await subscription.UnsubscribeAsync().ConfigureAwait(false);
            throw;
        }

        LogSnapshot snapshot;
        try
        {
            var parts = (RedisResult[])result!;
            LastId = StreamId.Parse((string?)parts[0]);
            LastSeq = long.Parse((string)parts[1]!, CultureInfo.InvariantCulture);
            var flat = (RedisResult[])parts[2]!;
            var members = new List<KeyValuePair<string, string>>(flat.Length / 2);
            for (var i = 0; i + 1 < flat.Length; i += 2)
            {
                members.Add(new((string)flat[i]!, (string)flat[i + 1]!));
            }

            var moderation = new List<KeyValuePair<string, string>>();
            if (parts.Length > 4)
            {
                var state = (RedisResult[])parts[4]!;
                for (var i = 0; i + 1 < state.Length; i += 2)
                {
                    moderation.Add(new((string)state[i]!, (string)state[i + 1]!));
                }
            }

            snapshot = new LogSnapshot(members, ((RedisResult[])parts[3]!).Select(ReadSnapshotEntry).Reverse().ToList(), moderation);
        }
        catch (Exception exception) when (exception is FormatException or OverflowException or InvalidCastException)
        {
            // Something else in our keys (a foreign sequence number, a hash of another shape): nothing is left subscribed.
            await subscription.UnsubscribeAsync().ConfigureAwait(false);
            throw new RedisException($"the log {keys.Log} cannot be read: {exception.Message}", exception);
        }

        subscription.OnMessage(message => post(new FollowerSignal.Pushed((string)message.Message!)));
        _subscription = subscription;
        return snapshot;
    }

    /// <summary>Makes the next catch-up read the log from <paramref name="id"/> on (entries already applied are dropped by their ids' writers' numbers).</summary>
    public void RewindTo(StreamId id)
    {
        if (id.CompareTo(LastId) < 0)
        {
            LastId = id;
        }
    }

    /// <summary>Stops following; what is in flight is ignored, and barriers still waiting are let go (nothing more will be delivered here).</summary>
    public void Detach()
    {
        if (_subscription is { } subscription)
        {
            _subscription = null;
            RedisCalls.Forget(subscription.UnsubscribeAsync());
        }

        ReleaseWaiters(all: true);
    }

    /// <summary>Lets go of every barrier still waiting (Redis went away: the node that asked no longer waits either).</summary>
    public void ReleaseWaiters() => ReleaseWaiters(all: true);

    /// <summary>
    /// Handles a push or a read result: calls <paramref name="apply"/> for every entry after the last
    /// applied, in order, and <paramref name="missed"/> with the count of entries the log no longer had.
    /// </summary>
    public void Handle(FollowerSignal signal, ClusterLink? link, Action<LogEntry> apply, Action<long> missed)
    {
        HandleSignal(signal, link, apply, missed);
        ReleaseWaiters(all: false);
    }

    private void HandleSignal(FollowerSignal signal, ClusterLink? link, Action<LogEntry> apply, Action<long> missed)
    {
        switch (signal)
        {
            case FollowerSignal.AwaitApplied waiter:
                _waiters.Add(waiter);
                if (waiter.UpTo.IsAfter(LastId) && link is not null)
                {
                    // Not applied yet: read now rather than wait for a push that may have been lost.
                    CatchUp(link);
                }

                break;
            case FollowerSignal.Pushed pushed when IsAttached:
                if (!TryReadPushed(pushed.Payload, out var records))
                {
                    logger.LogWarning("cluster: ignored a malformed push on the channel of {Log}", keys.Log);
                    return;
                }

                foreach (var (previous, entry) in records)
                {
                    if (!entry.Id.IsAfter(LastId))
                    {
                        continue;
                    }

                    if (previous != LastId || _reading)
                    {
                        // A push during a read may be for an entry the read did not see: read again after it.
                        _pushedWhileReading |= _reading;
                        // Something between: read the log from the last entry applied (this push's records included).
                        if (link is not null)
                        {
                            CatchUp(link);
                        }

                        return;
                    }

                    Accept(entry, apply, missed);
                }

                break;
            case FollowerSignal.CaughtUp caughtUp:
                _reading = false;
                if (caughtUp.Entries is null || !IsAttached)
                {
                    // Failed: the next push or the link's next "up" tries again.
                    return;
                }

                foreach (var read in caughtUp.Entries.Select(ReadStreamEntry))
                {
                    if (read.Id.IsAfter(LastId))
                    {
                        Accept(read, apply, missed);
                    }
                }

                if ((caughtUp.Entries.Length == ReadCount || _pushedWhileReading) && link is not null)
                {
                    _pushedWhileReading = false;
                    CatchUp(link);
                }

                break;
        }
    }

    /// <summary>Reads whatever the log has after the last entry applied (one read in flight at most).</summary>
    public void CatchUp(ClusterLink link)
    {
        if (_reading || !IsAttached)
        {
            return;
        }

        _reading = true;
        var from = LastId == StreamId.None ? "-" : "(" + LastId;
        _ = link.Database.StreamRangeAsync(keys.Log, from, "+", ReadCount).ContinueWith(
            read => post(new FollowerSignal.CaughtUp(read.IsCompletedSuccessfully ? read.Result : Observe(read))),
            TaskScheduler.Default);
    }

    /// <summary>Calls the barriers whose entries are all applied (<paramref name="all"/>: every one; so does a follower that is not attached, which delivers nothing).</summary>
    private void ReleaseWaiters(bool all)
    {
        if (_waiters.Count == 0)
        {
            return;
        }

        all |= !IsAttached;
        for (var i = 0; i < _waiters.Count;)
        {
            var waiter = _waiters[i];
            if (all || !waiter.UpTo.IsAfter(LastId))
            {
                _waiters.RemoveAt(i);
                waiter.Done();
            }
            else
            {
                i++;
            }
        }
    }

    private void Accept(LogEntry entry, Action<LogEntry> apply, Action<long> missed)
    {
        // Numbered by the append script, even when of a version this node cannot read (a rolling upgrade): gaps are counted on every numbered entry.
        if (LastSeq > 0 && entry.Seq > LastSeq + 1)
        {
            ClusterMetrics.EntriesMissed.Add(entry.Seq - LastSeq - 1);
            missed(entry.Seq - LastSeq - 1);
        }

        LastId = entry.Id;
        LastSeq = Math.Max(LastSeq, entry.Seq);
        if (entry.Entry is null)
        {
            Skipped(entry.Id, entry.Problem);
            return;
        }

        try
        {
            apply(entry);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidOperationException)
        {
            // An entry that parsed but cannot be applied: it costs itself, never the room.
            Skipped(entry.Id, exception.Message);
        }
    }

    private void Skipped(StreamId id, string? problem)
    {
        ClusterMetrics.EntriesSkipped.Add(1);
        logger.LogWarning("cluster: skipped entry {Id} of {Log}: {Problem}", id, keys.Log, problem);
    }

    private static StreamEntry[]? Observe(Task<StreamEntry[]> read)
    {
        _ = read.Exception;
        return null;
    }

    /// <summary>
    /// A push: one or more records of four lines, <c>previous-id LF id LF seq LF json</c>, joined by LF
    /// (JSON holds no raw LF); false for anything else published on the channel.
    /// </summary>
    private static bool TryReadPushed(string payload, out List<(StreamId Previous, LogEntry Entry)> records)
    {
        records = [];
        var lines = payload.Split('\n');
        if (lines.Length % 4 != 0)
        {
            return false;
        }

        try
        {
            for (var i = 0; i < lines.Length; i += 4)
            {
                if (!long.TryParse(lines[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
                {
                    return false;
                }

                var entry = ClusterEntry.Parse(lines[i + 3], out var problem);
                records.Add((StreamId.Parse(lines[i]), new LogEntry(StreamId.Parse(lines[i + 1]), seq, entry, problem)));
            }

            return records.Count > 0;
        }
        catch (Exception exception) when (exception is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static LogEntry ReadStreamEntry(StreamEntry read) => Read(read.Id!, read["s"], read["e"]);

    private static LogEntry ReadSnapshotEntry(RedisResult result)
    {
        var pair = (RedisResult[])result!;
        var fields = (RedisResult[])pair[1]!;
        RedisValue seq = default, json = default;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            switch ((string?)fields[i])
            {
                case "s":
                    seq = (RedisValue)fields[i + 1];
                    break;
                case "e":
                    json = (RedisValue)fields[i + 1];
                    break;
            }
        }

        return Read((string)pair[0]!, seq, json);
    }

    /// <summary>An entry as stored; one written by something else (no <c>s</c>, not JSON) is kept with its problem, to be skipped with a log.</summary>
    private static LogEntry Read(string id, RedisValue seq, RedisValue json)
    {
        var entry = ClusterEntry.Parse(json.IsNull ? null : (string?)json, out var problem);
        return new LogEntry(StreamId.Parse(id), seq.TryParse(out long number) ? number : 0, entry, problem);
    }
}
