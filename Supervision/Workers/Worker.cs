using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Supervision;

/// <summary>
/// The GenServer of this library: a process that owns a mailbox <see cref="Channel{T}"/> and
/// handles its messages one at a time, in arrival order, on its own loop. Its state is whatever
/// fields the subclass keeps; only the loop touches them, so they need no locks.
/// </summary>
/// <remarks>
/// <para>Life cycle: <see cref="StartAsync"/> runs <see cref="InitAsync"/>; if it throws, the start
/// throws it and the worker has exited with <see cref="ExitReason.Failure(Exception)"/>. Then
/// <see cref="HandleContinueAsync"/> runs if init asked for it with <see cref="Continue"/>, and
/// <see cref="HandleAsync"/> once per message. An exception from a handler crashes the worker: it
/// exits with <see cref="ExitReason.Failure(Exception)"/> after its stop callback.</para>
/// <para>Stop: <see cref="Stop"/> (from anywhere, or from a handler for OTP's <c>{stop, Reason}</c>)
/// closes the mailbox, lets the message in hand finish, cancels <see cref="Stopping"/>, runs
/// <see cref="TerminateAsync"/> with the reason, waits for the background loops and exits. Messages
/// still queued are dropped; calls among them fail with <see cref="ProcessExitedException"/>. Unlike
/// a gen_server trapping exits, queued messages are not handled first. The stop path never runs on
/// the thread that called <see cref="Stop"/>.</para>
/// <para>Kill: <see cref="Kill"/> exits at once with <see cref="ExitReason.Killed"/>, cancels the
/// token handed to handlers, delivers nothing more and runs no stop callback.</para>
/// </remarks>
/// <typeparam name="TMessage">The type of the messages the mailbox carries.</typeparam>
public abstract partial class Worker<TMessage> : IProcess, IMonitorable, IDownListener
{
    private const int NotStarted = 0;
    private const int Starting = 1;
    private const int Running = 2;

    /// <summary>The mailbox: read only by the worker's loop; completed once a stop or kill is requested.</summary>
    private readonly Channel<TMessage> _mailbox;

    /// <summary>The validated options the worker was made with (mailbox, call timeout, clock, logging).</summary>
    private readonly WorkerOptions _options;

    /// <summary>Cancelled by <see cref="Kill"/> only: the token of handlers and of the stop callback.</summary>
    private LazyCancellation _killed;

    /// <summary>Cancelled when the worker begins to stop, for any reason: the token of background loops.</summary>
    private LazyCancellation _stopping;

    /// <summary>The token source of a running <see cref="InitAsync"/>, so that a kill cancels it; null outside the start.</summary>
    private CancellationTokenSource? _initCancellation;

    /// <summary>Completed with the exit reason; made when first asked for, or at the exit.</summary>
    private TaskCompletionSource<ExitReason>? _completion;

    /// <summary>The monitors others placed on this worker; made on first use.</summary>
    private MonitorSet? _monitors;

    /// <summary>The monitors this worker placed on others; made on first use, <see cref="WatchedMonitors.Closed"/> after the exit.</summary>
    private WatchedMonitors? _watching;

    /// <summary>The background loops still running; made by the first <see cref="RunInBackground"/>.</summary>
    private BackgroundLoops? _backgroundLoops;

    /// <summary>The reason of the first stop or kill request; null while none was made.</summary>
    private ExitReason? _stopRequest;

    /// <summary>NotStarted, Starting or Running; only moves forward.</summary>
    private int _startState;

    /// <summary>Whether <see cref="InitAsync"/> called <see cref="Continue"/>; written before the loop starts.</summary>
    private bool _continueRequested;

    /// <summary>1 once the worker has exited; set before monitors fire and <see cref="Completion"/> completes.</summary>
    private int _exited;

    /// <summary>Creates a worker that has not started yet.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    protected Worker(WorkerOptions? options = null)
    {
        options ??= WorkerOptions.Default;
        options.Validate();
        _options = options;
        Name = options.Name ?? GetType().Name;
        _mailbox = options.Mailbox.CreateChannel<TMessage>();
    }

    /// <inheritdoc />
    public ProcessId Id { get; } = ProcessId.Next();

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task<ExitReason> Completion => CompletionSource.Task;

    /// <inheritdoc />
    public bool HasExited => Volatile.Read(ref _exited) == 1;

    /// <summary>The number of queued messages, for introspection; -1 when the mailbox cannot count (an unbounded single-reader channel).</summary>
    public int MailboxCount => _mailbox.Reader.CanCount ? _mailbox.Reader.Count : -1;

    /// <summary>The number of monitors placed on this worker that have not fired or been removed, for introspection.</summary>
    internal int MonitorCount => Volatile.Read(ref _monitors)?.Count ?? 0;

    /// <summary>The number of monitors this worker has placed on live processes, for introspection.</summary>
    internal int WatchingCount => Volatile.Read(ref _watching)?.Count ?? 0;

    /// <summary>The number of background loops still running, for introspection.</summary>
    internal int BackgroundLoopCount => Volatile.Read(ref _backgroundLoops)?.Running ?? 0;

    /// <summary>The clock this worker measures timeouts with.</summary>
    protected TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>The options the worker was made with, for <see cref="WorkerCalls"/>.</summary>
    internal WorkerOptions Options => _options;

    /// <summary>The writing end of the mailbox, for <see cref="WorkerCalls"/>.</summary>
    internal ChannelWriter<TMessage> MailboxWriter => _mailbox.Writer;

    /// <summary>What a call that can no longer be queued fails with: the exit reason once known, else the stop request's.</summary>
    internal ExitReason ExitOrStopReason =>
        Volatile.Read(ref _completion)?.Task is { IsCompleted: true } done ? done.Result : Volatile.Read(ref _stopRequest) ?? ExitReason.Shutdown;

    /// <summary>True once a stop or kill was requested, for <see cref="WorkerCalls"/>.</summary>
    internal bool StopRequested => IsStopRequested;

    /// <summary>True once a stop or kill was requested: a handler should start nothing new.</summary>
    protected bool IsStopRequested => Volatile.Read(ref _stopRequest) is not null;

    /// <summary>
    /// Cancelled only when the worker is killed. A kill runs no stop callback, so register here the
    /// release of what must not outlive the worker even then (a socket, a file handle). Such a
    /// callback runs on the thread that kills: keep it short.
    /// </summary>
    protected CancellationToken Killed => _killed.Token;

    /// <summary>Cancelled when the worker begins to stop, for any reason: the token of its background loops.</summary>
    protected CancellationToken Stopping => _stopping.Token;

    private TaskCompletionSource<ExitReason> CompletionSource =>
        Volatile.Read(ref _completion) ?? Interlocked.CompareExchange(ref _completion, new(TaskCreationOptions.RunContinuationsAsynchronously), null) ?? _completion!;



    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _startState, Starting, NotStarted) != NotStarted)
        {
            throw new InvalidOperationException($"{Name} {Id} was already started");
        }

        // A source for the start only, so that an idle worker keeps none; a kill cancels it.
        var init = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : new CancellationTokenSource();
        Interlocked.Exchange(ref _initCancellation, init);
        if (_killed.IsCancellationRequested)
        {
            LazyCancellation.CancelQuietly(init);
        }

        try
        {
            await InitAsync(init.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // No half-started worker: what init started is stopped, and the worker has exited.
            _stopping.Cancel();
            await WaitForBackgroundLoopsAsync().ConfigureAwait(false);
            if (_killed.IsCancellationRequested)
            {
                throw new ProcessExitedException(Id, Name, ExitReason.Killed);
            }

            Exit(ExitReason.Failure(exception));
            throw;
        }
        finally
        {
            Interlocked.Exchange(ref _initCancellation, null);
            init.Dispose();
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
    public ValueTask<bool> TellAsync(TMessage message, CancellationToken cancellationToken = default) =>
        WorkerCalls.TellAsync(this, message, cancellationToken);

    /// <summary>
    /// Call: sends the message built by <paramref name="request"/> around a fresh reply slot and
    /// waits for the reply, at most <paramref name="timeout"/> (default 5 s; <see cref="Timeout.InfiniteTimeSpan"/> waits forever).
    /// One deadline covers the whole call, the wait for room in a bounded mailbox included.
    /// </summary>
    /// <exception cref="CallTimeoutException">No reply within the timeout and the worker has not exited; a late reply is dropped.</exception>
    /// <exception cref="ProcessExitedException">The worker had exited or was stopping, or exited before replying (including a crash in the handler of this very call); names the reason. Thrown as soon as that is known, never after the timeout.</exception>
    /// <exception cref="MailboxFullException">The bounded mailbox is full and its full-mode is fail-fast.</exception>
    public Task<TReply> CallAsync<TReply>(
        Func<Reply<TReply>, TMessage> request,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        WorkerCalls.CallAsync(this, request, timeout, cancellationToken);

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
        _killed.Cancel();
        if (Volatile.Read(ref _initCancellation) is { } init)
        {
            LazyCancellation.CancelQuietly(init);
        }

        _mailbox.Writer.TryComplete();
        _stopping.Cancel();
        try
        {
            OnKilled();
        }
        catch (Exception crash)
        {
            // A kill always completes: a supervisor killing its children must reach every one.
            if (_options.LoggerFactory is { } loggers)
            {
                WorkerLog.OnKilledCrashed(loggers.CreateLogger(WorkerLog.Category), Name, Id, crash);
            }
        }
        finally
        {
            Exit(ExitReason.Killed);
        }
    }

    /// <summary>
    /// Runs <paramref name="loop"/> in the background as part of this worker (e.g. a socket
    /// reader), on the thread pool, never inline. It gets <see cref="Stopping"/>. If it throws while
    /// the worker is not stopping, the worker crashes with that exception; the worker's stop waits
    /// for it after the stop callback. May be called from init, a handler or another loop.
    /// </summary>
    protected void RunInBackground(Func<CancellationToken, Task> loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        var loops = Volatile.Read(ref _backgroundLoops) ?? Interlocked.CompareExchange(ref _backgroundLoops, new BackgroundLoops(), null) ?? _backgroundLoops!;
        loops.Run(this, loop, _stopping.Token);
    }

    /// <summary>
    /// Asks, from <see cref="InitAsync"/>, for <see cref="HandleContinueAsync"/> to run once the
    /// start has returned (OTP's <c>{ok, State, {continue, Term}}</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Called outside <see cref="InitAsync"/>.</exception>
    protected void Continue()
    {
        if (Volatile.Read(ref _startState) != Starting)
        {
            throw new InvalidOperationException($"{Name} {Id}: Continue() is for InitAsync");
        }

        _continueRequested = true;
    }

    /// <summary>
    /// Runs on <see cref="StartAsync"/> before any message is handled. Throwing fails the start.
    /// The token is cancelled if the start is cancelled or the worker is killed.
    /// </summary>
    protected virtual ValueTask InitAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// The rest of the initialisation, on the worker's own loop after <see cref="StartAsync"/> has
    /// returned and before any message (OTP's <c>handle_continue/2</c> after init's <c>continue</c>),
    /// so a supervisor starting the worker does not wait for it. Runs only if init called
    /// <see cref="Continue"/>, and not if a stop was requested before the start returned; a stop
    /// requested later lets it finish, as a message in hand. Throwing crashes the worker (the start
    /// has already succeeded); the token is as in <see cref="HandleAsync"/>.
    /// </summary>
    protected virtual ValueTask HandleContinueAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

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
    /// handler or background loop, never after a kill, and never on the thread that asked for the
    /// stop. The token is cancelled if the worker is killed meanwhile (e.g. its supervisor's shutdown
    /// timeout ran out). If it throws, the crash is logged (when <see cref="WorkerOptions.LoggerFactory"/>
    /// is set) and the worker exits with <see cref="ExitReason.Failure(Exception)"/> of that exception,
    /// as a gen_server whose <c>terminate/2</c> raises.
    /// </summary>
    protected virtual ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Runs inside <see cref="Kill"/>, on the killing thread, before the exit becomes visible (a kill runs
    /// no stop callback): release here what a kill must not leak, such as a socket, so nothing of the
    /// worker outlives its visible exit. A supervisor kills its subtree here. Must not block. An exception is logged (event 21, when
    /// <see cref="WorkerOptions.LoggerFactory"/> is set) and goes no further: a kill always completes.
    /// </summary>
    protected virtual void OnKilled()
    {
    }
}
