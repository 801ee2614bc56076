using System.Threading.Channels;

namespace Supervision;

/// <summary>
/// The sending side of a worker's mailbox that waits: a cast that honours the full-mode, and a call
/// with its one deadline (room in a bounded mailbox, then the reply) and its fast failure when the
/// worker exits. Code, not state: it works on the worker it is given, so a worker costs nothing more.
/// </summary>
internal static class WorkerCalls
{
    /// <summary>See <see cref="Worker{TMessage}.TellAsync"/>.</summary>
    public static async ValueTask<bool> TellAsync<TMessage>(Worker<TMessage> worker, TMessage message, CancellationToken cancellationToken)
    {
        var mailbox = worker.MailboxWriter;
        if (mailbox.TryWrite(message))
        {
            return true;
        }

        if (worker.Options.Mailbox.FullMode == MailboxFullMode.FailFast)
        {
            return false;
        }

        try
        {
            await mailbox.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>See <see cref="Worker{TMessage}.CallAsync"/>.</summary>
    public static async Task<TReply> CallAsync<TMessage, TReply>(
        Worker<TMessage> worker,
        Func<Reply<TReply>, TMessage> request,
        TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wait = timeout ?? worker.Options.DefaultCallTimeout;
        if (wait < TimeSpan.Zero && wait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), wait, "a call timeout must not be negative (other than infinite)");
        }

        if (worker.HasExited)
        {
            throw new ProcessExitedException(worker.Id, worker.Name, await worker.Completion.ConfigureAwait(false));
        }

        var time = worker.Options.TimeProvider;
        var reply = new Reply<TReply>();
        var message = request(reply);
        var started = time.GetTimestamp();
        try
        {
            await EnqueueAsync(worker, message, wait, cancellationToken).ConfigureAwait(false);
            var left = wait == Timeout.InfiniteTimeSpan ? wait : TimeSpan.FromTicks(Math.Max(0, (wait - time.GetElapsedTime(started)).Ticks));
            await Task.WhenAny(reply.Task, worker.Completion).WaitAsync(left, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!worker.HasExited)
        {
            throw new CallTimeoutException(worker.Id, worker.Name, wait);
        }
        catch (TimeoutException)
        {
            // The deadline and the exit crossed: the exit is the better answer.
        }

        if (reply.Task.IsCompleted)
        {
            return await reply.Task.ConfigureAwait(false);
        }

        throw new ProcessExitedException(worker.Id, worker.Name, await worker.Completion.ConfigureAwait(false));
    }

    private static async Task EnqueueAsync<TMessage>(Worker<TMessage> worker, TMessage message, TimeSpan wait, CancellationToken cancellationToken)
    {
        var mailbox = worker.MailboxWriter;
        if (mailbox.TryWrite(message))
        {
            return;
        }

        if (!worker.HasExited && !worker.StopRequested && worker.Options.Mailbox.FullMode == MailboxFullMode.FailFast)
        {
            throw new MailboxFullException(worker.Id, worker.Name);
        }

        using var deadline = new CancellationTokenSource(wait, worker.Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await mailbox.WriteAsync(message, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException();
        }
        catch (ChannelClosedException)
        {
            // Stopping or gone: the message will never be handled, so the call fails now, with the exit reason if already known.
            throw new ProcessExitedException(worker.Id, worker.Name, worker.ExitOrStopReason);
        }
    }
}
