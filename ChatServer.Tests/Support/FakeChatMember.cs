using System.Threading.Channels;
using ChatServer.Chat;
using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Tests.Support;

/// <summary>
/// A chat member without a socket, for driving a real <see cref="Room"/> or <see cref="Presence"/>
/// directly. It is a real (idle) worker, so rooms and presence can monitor it: stopping, crashing or
/// killing it fires their monitors as a client's exit would.
/// </summary>
/// <remarks>
/// The one file of the tests that knows how rooms hand things to a member (<see cref="IChatMember"/>'s
/// <c>Deliver</c> overloads): it turns every delivery into the text lines a line-protocol client would
/// write to its socket (<see cref="LineEventFormat"/>), a <see cref="RoomBatch"/> without the lines this member sent itself (as
/// <c>ClientWorker.WriteOthers</c> does). Tests only ever see those lines, so a change of the
/// delivery API changes this file alone. Like a client, it takes nothing once it is leaving.
/// </remarks>
public sealed class FakeChatMember : Worker<FakeChatMember.Mail>, IChatMember
{
    /// <summary>How long <see cref="ExpectAsync"/> waits by default: generous, for a loaded machine.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    // Every line since the start, and the ones no expectation has read yet.
    private readonly List<string> _received = [];
    private readonly Channel<string> _unread = Channel.CreateUnbounded<string>();
    private DeliveryHold? _hold;

    private FakeChatMember(string name)
        : base(new WorkerOptions { Name = name })
    {
    }

    /// <summary>The fake's mailbox protocol: it never gets mail.</summary>
    public abstract record Mail;

    /// <inheritdoc />
    IProcess IChatMember.Process => this;

    /// <inheritdoc />
    PersonMask IChatMember.Mask { get; } = new(null, "fake.cloak");

    /// <inheritdoc />
    string? IChatMember.AwayMessage => null;

    /// <summary>Every line delivered so far, in order.</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Starts a member named <paramref name="name"/> (the process's name, for messages; the nick is what a test passes to a room).</summary>
    public static async Task<FakeChatMember> StartAsync(string name)
    {
        var member = new FakeChatMember(name);
        await member.StartAsync();
        return member;
    }

    /// <inheritdoc />
    bool IChatMember.Deliver(ChatEvent chatEvent)
    {
        WaitIfHeld();
        // A history replay is one event written as several lines.
        return Record([.. chatEvent.Encode(LineEventFormat.Instance).ToString().Split("\r\n")]);
    }

    /// <inheritdoc />
    void IChatMember.RegisterAgain()
    {
        // Rooms never ask it; only a cluster's presence does.
    }

    /// <inheritdoc />
    bool IChatMember.Deliver(RoomBatch batch)
    {
        WaitIfHeld();
        var lines = new List<string>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Sender != Id)
            {
                lines.Add(batch[i].Encode(LineEventFormat.Instance).ToString());
            }
        }

        return Record(lines);
    }

    /// <summary>
    /// The lines delivered and not yet read by an expectation or an earlier call, without waiting.
    /// After a room's <see cref="Room.BarrierAsync"/> these are exactly what the room delivered so far.
    /// </summary>
    public IReadOnlyList<string> TakeUnread()
    {
        var lines = new List<string>();
        while (_unread.Reader.TryRead(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Reads unread lines until exactly <paramref name="line"/> arrives; fails after the timeout with every line received.</summary>
    public async Task<string> ExpectAsync(string line, TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultWait;
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            while (true)
            {
                var next = await _unread.Reader.ReadAsync(cancel.Token);
                if (next == line)
                {
                    return next;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"{Name}: no \"{line}\" within {wait.TotalSeconds} s; received: [{string.Join(" | ", Received)}]");
        }
    }

    /// <summary>
    /// Makes the next delivery to this member wait until the hold is released, which keeps the
    /// delivering room's loop busy: whatever is sent to the room meanwhile waits in its mailbox and
    /// is handled in one go afterwards (a burst).
    /// </summary>
    public DeliveryHold HoldNextDelivery()
    {
        var hold = new DeliveryHold();
        if (Interlocked.CompareExchange(ref _hold, hold, null) is not null)
        {
            throw new InvalidOperationException($"{Name}: a delivery is held already");
        }

        return hold;
    }

    /// <summary>How a member's process can end without leaving its rooms first.</summary>
    public enum Ending
    {
        /// <summary>An exit with a failure, as a client worker whose handler threw.</summary>
        Crash,

        /// <summary><see cref="IProcess.Kill"/>.</summary>
        Kill,

        /// <summary>A graceful <see cref="IProcess.Stop"/>.</summary>
        Stop,
    }

    /// <summary>Crashes this member: it exits with a failure, as a client worker whose handler threw.</summary>
    public void Crash() => Stop(ExitReason.Failure(new InvalidOperationException($"{Name} crashed on purpose (test)")));

    /// <summary>Ends this member's process as <paramref name="how"/> says and waits (bounded) for the exit.</summary>
    public async Task EndAsync(Ending how)
    {
        switch (how)
        {
            case Ending.Crash:
                Crash();
                break;
            case Ending.Kill:
                Kill();
                break;
            default:
                Stop();
                break;
        }

        await Completion.WaitAsync(DefaultWait);
    }

    /// <inheritdoc />
    protected override ValueTask HandleAsync(Mail message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private void WaitIfHeld()
    {
        if (Interlocked.Exchange(ref _hold, null) is { } hold)
        {
            hold.Hold();
        }
    }

    private bool Record(List<string> lines)
    {
        if (HasExited || IsStopRequested)
        {
            return false;
        }

        lock (_received)
        {
            // Under the lock: lines of two rooms delivering at once stay in one order in both lists.
            foreach (var line in lines)
            {
                _received.Add(line);
                _unread.Writer.TryWrite(line);
            }
        }

        return true;
    }

    /// <summary>A delivery held by <see cref="HoldNextDelivery"/>.</summary>
    public sealed class DeliveryHold
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _released = new();

        /// <summary>Completes once the delivering thread is inside the held delivery; fails after <see cref="DefaultWait"/>.</summary>
        public Task WaitUntilHeldAsync() => _entered.Task.WaitAsync(DefaultWait);

        /// <summary>Lets the held delivery continue.</summary>
        public void Release() => _released.Set();

        internal void Hold()
        {
            _entered.TrySetResult();

            // Bounded, so that a test that fails before its Release cannot leave a room stuck for ever.
            _released.Wait(DefaultWait * 3);
        }
    }
}
