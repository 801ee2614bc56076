using System.Threading.Channels;

namespace Supervision;

/// <summary>
/// The GenServer of this library: a process that owns a mailbox <see cref="Channel{T}"/> and
/// handles its messages one at a time, in arrival order, on its own loop. Its state is whatever
/// fields the subclass keeps; only the loop touches them, so they need no locks.
/// </summary>
/// <remarks>
/// <para>Life cycle: <see cref="StartAsync"/> runs <see cref="InitAsync"/>; if it throws, the start
/// throws it and the worker has exited with <see cref="ExitReason.Failure(Exception)"/>. Then
/// <see cref="HandleAsync"/> runs once per message. An exception from a handler crashes the worker:
/// it exits with <see cref="ExitReason.Failure(Exception)"/> after its stop callback.</para>
/// <para>Stop: <see cref="Stop"/> (from anywhere, or from a handler for OTP's <c>{stop, Reason}</c>)
/// closes the mailbox, lets the message in hand finish, cancels <see cref="Stopping"/>, runs
/// <see cref="TerminateAsync"/> with the reason, waits for the background loops and exits. Messages
/// still queued are dropped; calls among them fail with <see cref="ProcessExitedException"/>. Unlike
/// a gen_server trapping exits, queued messages are not handled first.</para>
/// <para>Kill: <see cref="Kill"/> exits at once with <see cref="ExitReason.Killed"/>, cancels the
/// token handed to handlers, delivers nothing more and runs no stop callback.</para>
/// </remarks>
/// <typeparam name="TMessage">The type of the messages the mailbox carries.</typeparam>
public abstract class Worker<TMessage> : IProcess
{
    private const int NotStarted = 0;
    private const int Starting = 1;
    private const int Running = 2;

    private readonly Channel<TMessage> _mailbox;
    private readonly TaskCompletionSource<ExitReason> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _killed = new();
    private readonly CancellationTokenSource _stopping = new();
    private MonitorSet? _monitors;
    private readonly Lock _watchingLock = new();
    private HashSet<MonitorRef>? _watching;
    private readonly MailboxFullMode _fullMode;
    private readonly TimeSpan _defaultCallTimeout;
    private ExitReason? _stopRequest;
    private List<Task>? _backgroundLoops;
    private int _startState;
    private int _exited;

    /// <summary>Creates a worker that has not started yet.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    protected Worker(WorkerOptions? options = null)
    {
        options ??= WorkerOptions.Default;
        options.Validate();
        Name = options.Name ?? GetType().Name;
        TimeProvider = options.TimeProvider;
        _fullMode = options.Mailbox.FullMode;
        _defaultCallTimeout = options.DefaultCallTimeout;
        _mailbox = options.Mailbox.CreateChannel<TMessage>();
    }

    /// <inheritdoc />
    public ProcessId Id { get; } = ProcessId.Next();

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task<ExitReason> Completion => _completion.Task;

    /// <inheritdoc />
    public bool HasExited => Volatile.Read(ref _exited) == 1;

    /// <summary>The number of queued messages, for introspection; -1 when the mailbox cannot count (an unbounded single-reader channel).</summary>
    public int MailboxCount => _mailbox.Reader.CanCount ? _mailbox.Reader.Count : -1;

    /// <summary>The clock this worker measures timeouts with.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <summary>True once a stop or kill was requested: a handler should start nothing new.</summary>
    protected bool IsStopRequested => Volatile.Read(ref _stopRequest) is not null;

    /// <summary>
    /// Cancelled only when the worker is killed. A kill runs no stop callback, so register here the
    /// release of what must not outlive the worker even then (a socket, a file handle).
    /// </summary>
    protected CancellationToken Killed => _killed.Token;

    /// <summary>Cancelled when the worker begins to stop, for any reason: the token of its background loops.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _startState, Starting, NotStarted) != NotStarted)
        {
            throw new InvalidOperationException($"{Name} {Id} was already started");
        }

        using var initCancellation = CancellationTokenSource.CreateLinkedTokenSource(_killed.Token, cancellationToken);
        try
        {
            await InitAsync(initCancellation.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // No half-started worker: what init started is stopped, and the worker has exited.
            CancelQuietly(_stopping);
            await WaitForBackgroundLoopsAsync().ConfigureAwait(false);
            if (_killed.IsCancellationRequested)
            {
                throw new ProcessExitedException(Id, Name, ExitReason.Killed);
            }

            Exit(ExitReason.Failure(exception));
            throw;
        }

        Volatile.Write(ref _startState, Running);
        if (HasExited)
        {
            throw new ProcessExitedException(Id, Name, await Completion.ConfigureAwait(false));
        }

        _ = RunAsync();
    }

    /// <summary>
    /// Cast: queues <paramref name="message"/> without waiting. Returns false if the worker has
    /// stopped or its bounded mailbox is full.
    /// </summary>
    public bool Tell(TMessage message) => _mailbox.Writer.TryWrite(message);

    /// <summary>
    /// Cast that honours a bounded mailbox's full-mode: waits for room under
    /// <see cref="MailboxFullMode.Wait"/>, returns false at once under
    /// <see cref="MailboxFullMode.FailFast"/>. Returns false if the worker has stopped.
    /// </summary>
    public async ValueTask<bool> TellAsync(TMessage message, CancellationToken cancellationToken = default)
    {
        if (_mailbox.Writer.TryWrite(message))
        {
            return true;
        }

        if (_fullMode == MailboxFullMode.FailFast)
        {
            return false;
        }

        try
        {
            await _mailbox.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Call: sends the message built by <paramref name="request"/> around a fresh reply slot and
    /// waits for the reply, at most <paramref name="timeout"/> (default 5 s; <see cref="Timeout.InfiniteTimeSpan"/> waits forever).
    /// </summary>
    /// <exception cref="CallTimeoutException">No reply within the timeout; a late reply is dropped.</exception>
    /// <exception cref="ProcessExitedException">The worker had exited, or exited before replying (including a crash in the handler of this very call); names the reason.</exception>
    /// <exception cref="MailboxFullException">The bounded mailbox is full and its full-mode is fail-fast.</exception>
    public async Task<TReply> CallAsync<TReply>(
        Func<Reply<TReply>, TMessage> request,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wait = timeout ?? _defaultCallTimeout;
        if (wait < TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), wait, "a call timeout must not be negative (other than infinite)");
        }

        if (HasExited)
        {
            throw new ProcessExitedException(Id, Name, await Completion.ConfigureAwait(false));
        }

        var reply = new Reply<TReply>();
        var message = request(reply);
        var started = TimeProvider.GetTimestamp();
        try
        {
            await EnqueueCallAsync(message, wait, cancellationToken).ConfigureAwait(false);

            // One deadline for the whole call, as in OTP: time spent waiting for mailbox room counts.
            var left = wait == Timeout.InfiniteTimeSpan ? wait : TimeSpan.FromTicks(Math.Max(0, (wait - TimeProvider.GetElapsedTime(started)).Ticks));
            await Task.WhenAny(reply.Task, Completion).WaitAsync(left, TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CallTimeoutException(Id, Name, wait);
        }

        if (reply.Task.IsCompleted)
        {
            return await reply.Task.ConfigureAwait(false);
        }

        throw new ProcessExitedException(Id, Name, await Completion.ConfigureAwait(false));
    }

    /// <inheritdoc />
    public void Stop(ExitReason? reason = null)
    {
        if (Interlocked.CompareExchange(ref _stopRequest, reason ?? ExitReason.Shutdown, null) is not null)
        {
            return;
        }

        _mailbox.Writer.TryComplete();
        if (Interlocked.CompareExchange(ref _startState, Running, NotStarted) == NotStarted)
        {
            // Never started: nothing to run the stop callback for.
            Exit(_stopRequest!);
        }
    }

    /// <inheritdoc />
    public void Kill()
    {
        if (HasExited)
        {
            return;
        }

        Interlocked.CompareExchange(ref _stopRequest, ExitReason.Killed, null);

        // Cancel before closing the mailbox: the loop, woken by the close, must already see the kill.
        CancelQuietly(_killed);
        _mailbox.Writer.TryComplete();
        CancelQuietly(_stopping);
        Exit(ExitReason.Killed);
    }

    /// <inheritdoc />
    public MonitorRef Monitor(Action<ProcessDown> onDown) => Monitors.Add(this, onDown);

    /// <summary>
    /// Monitors <paramref name="target"/>: when it exits, <paramref name="toMessage"/> turns the down
    /// notice into a message for this worker's own mailbox. If the target is already dead, the
    /// message is queued at once. Dropped silently if this worker has stopped by then; when this
    /// worker exits, its monitors are removed from their targets.
    /// </summary>
    protected MonitorRef Monitor(IProcess target, Func<ProcessDown, TMessage> toMessage)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(toMessage);
        var monitor = target.Monitor(down =>
        {
            ForgetMonitor(down.Ref);
            Tell(toMessage(down));
        });
        if (monitor.IsActive)
        {
            lock (_watchingLock)
            {
                (_watching ??= []).Add(monitor);
            }
        }

        return monitor;
    }

    /// <summary>Removes a monitor placed with <see cref="Monitor(IProcess, Func{ProcessDown, TMessage})"/>: no down message arrives after this.</summary>
    protected void Demonitor(MonitorRef monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        monitor.Demonitor();
        ForgetMonitor(monitor);
    }

    /// <summary>
    /// Runs <paramref name="loop"/> in the background as part of this worker (e.g. a socket
    /// reader). It gets <see cref="Stopping"/>. If it throws while the worker is not stopping, the
    /// worker crashes with that exception; the worker's stop waits for it after the stop callback.
    /// </summary>
    protected void RunInBackground(Func<CancellationToken, Task> loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        (_backgroundLoops ??= []).Add(RunBackgroundLoopAsync(loop, _stopping.Token));
    }

    // One state machine per loop (no Task.Run closure, unwrap promise or continuation task): it is held for a connection's life.
    private async Task RunBackgroundLoopAsync(Func<CancellationToken, Task> loop, CancellationToken stopping)
    {
        // Off the caller's stack and onto the thread pool, as Task.Run would: the loop must not run inside InitAsync or a handler.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        try
        {
            await loop(stopping).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // A failure while stopping is part of the stop; otherwise it is this worker's crash.
            if (!_stopping.IsCancellationRequested)
            {
                Stop(ExitReason.Failure(error));
            }
        }
    }

    /// <summary>
    /// Runs on <see cref="StartAsync"/> before any message is handled. Throwing fails the start.
    /// The token is cancelled if the start is cancelled or the worker is killed.
    /// </summary>
    protected virtual ValueTask InitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Handles one message. Throwing crashes the worker. The token is cancelled only when the worker
    /// is killed (a forced stop); a graceful stop waits for this handler to return.
    /// </summary>
    protected abstract ValueTask HandleAsync(TMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Runs each time the worker has handled everything in its mailbox, before it waits for more:
    /// the place to finish work batched across messages (e.g. send a burst of results in one
    /// go), like a GenServer reply with a 0 timeout, whose <c>:timeout</c> comes once its queue is
    /// empty. Not called once a stop is requested (finish the batch in <see cref="TerminateAsync"/>).
    /// Throwing crashes the worker; the token is as in <see cref="HandleAsync"/>.
    /// </summary>
    protected virtual ValueTask OnMailboxEmptyAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// The stop callback: runs with the exit reason on every graceful stop and after a crash in a
    /// handler or background loop, never after a kill. The token is cancelled if the worker is killed
    /// meanwhile (e.g. its supervisor's shutdown timeout ran out). An exception here is ignored; the
    /// exit reason stays the one that stopped the worker.
    /// </summary>
    protected virtual ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Runs on the worker's loop once it observes that it was killed. Lets a supervisor kill its subtree.</summary>
    private protected virtual void OnKilled()
    {
    }

    private async Task EnqueueCallAsync(TMessage message, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_mailbox.Writer.TryWrite(message))
        {
            return;
        }

        if (!HasExited && Volatile.Read(ref _stopRequest) is null && _fullMode == MailboxFullMode.FailFast)
        {
            throw new MailboxFullException(Id, Name);
        }

        using var deadline = new CancellationTokenSource(wait, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await _mailbox.Writer.WriteAsync(message, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException();
        }
        catch (ChannelClosedException)
        {
            // Stopping: the call fails with the exit reason as soon as there is one.
            var reason = await Completion.WaitAsync(wait, TimeProvider, cancellationToken).ConfigureAwait(false);
            throw new ProcessExitedException(Id, Name, reason);
        }
    }

    private async Task RunAsync()
    {
        ExitReason reason;
        try
        {
            // The mailbox loop lives here, not in a method of its own: one parked state machine per idle worker.
            var reader = _mailbox.Reader;
            var killed = _killed.Token;

            // No token on the wait: Stop and Kill complete the writer, which ends the wait.
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (Volatile.Read(ref _stopRequest) is null && reader.TryRead(out var message))
                {
                    await HandleAsync(message, killed).ConfigureAwait(false);
                }

                if (Volatile.Read(ref _stopRequest) is not null)
                {
                    break;
                }

                await OnMailboxEmptyAsync(killed).ConfigureAwait(false);
            }

            reason = Volatile.Read(ref _stopRequest) ?? ExitReason.Normal;
        }
        catch (OperationCanceledException) when (_killed.IsCancellationRequested)
        {
            reason = ExitReason.Killed;
        }
        catch (Exception exception)
        {
            reason = ExitReason.Failure(exception);
        }

        if (_killed.IsCancellationRequested)
        {
            DrainMailbox();
            OnKilled();
            return;
        }

        CancelQuietly(_stopping);
        try
        {
            await TerminateAsync(reason, _killed.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // OTP keeps the original reason when terminate/2 itself fails after a crash; so do we.
        }

        await WaitForBackgroundLoopsAsync().ConfigureAwait(false);
        DrainMailbox();
        if (_killed.IsCancellationRequested)
        {
            OnKilled();
            return;
        }

        Exit(reason);
    }

    private async Task WaitForBackgroundLoopsAsync()
    {
        if (_backgroundLoops is not { Count: > 0 } loops)
        {
            return;
        }

        try
        {
            await Task.WhenAll(loops).WaitAsync(_killed.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A loop's failure was already turned into this worker's exit reason; a kill abandons the wait.
        }
    }

    // Created on first use: most workers are never monitored until they exit.
    private MonitorSet Monitors => Volatile.Read(ref _monitors) ?? Interlocked.CompareExchange(ref _monitors, new MonitorSet(), null) ?? _monitors!;

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (AggregateException)
        {
            // A callback registered on the token threw; the stop goes on regardless.
        }
    }

    private void ForgetMonitor(MonitorRef monitor)
    {
        lock (_watchingLock)
        {
            _watching?.Remove(monitor);
        }
    }

    private void DemonitorAll()
    {
        HashSet<MonitorRef>? watching;
        lock (_watchingLock)
        {
            watching = _watching;
            _watching = null;
        }

        if (watching is null)
        {
            return;
        }

        foreach (var monitor in watching)
        {
            monitor.Demonitor();
        }
    }

    private void DrainMailbox()
    {
        while (_mailbox.Reader.TryRead(out _))
        {
        }
    }

    private void Exit(ExitReason reason)
    {
        if (Interlocked.Exchange(ref _exited, 1) == 1)
        {
            return;
        }

        _mailbox.Writer.TryComplete();
        CancelQuietly(_stopping);
        DemonitorAll();
        Monitors.FireAll(reason);
        _completion.TrySetResult(reason);
    }
}
