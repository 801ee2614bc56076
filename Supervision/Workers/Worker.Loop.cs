using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Supervision;

/// <summary>The worker's mailbox loop and its exit path: handle, batch, stop callback, background loops, exit.</summary>
public abstract partial class Worker<TMessage>
{
    private async Task RunAsync()
    {
        // A message is no part of the starter's trace: without this every activity a handler starts,
        // for the process's whole life, would be a child of whatever was current at its start.
        if (Activity.Current is not null)
        {
            Activity.Current = null;
        }

        ExitReason reason;
        try
        {
            if (_continueRequested && !IsStopRequested)
            {
                // Off the starter's stack: the start has returned before the continuation runs.
                await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                await HandleContinueAsync(_killed.Token).ConfigureAwait(false);
            }

            // The mailbox loop lives here, not in a method of its own: one parked state machine per idle worker.
            var reader = _mailbox.Reader;

            // No token on the wait: Stop and Kill complete the writer, which ends the wait.
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (!IsStopRequested && reader.TryRead(out var message))
                {
                    await HandleAsync(message, _killed.Token).ConfigureAwait(false);
                }

                if (IsStopRequested)
                {
                    break;
                }

                await OnMailboxEmptyAsync(_killed.Token).ConfigureAwait(false);
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

        // A state machine of its own: a parked idle loop holds none of the exit path's state.
        _ = ExitAsync(reason);
    }

    private async Task ExitAsync(ExitReason reason)
    {
        if (_killed.IsCancellationRequested)
        {
            // Kill has exited already.
            DrainMailbox();
            return;
        }

        if (_options.Mailbox.AllowSynchronousContinuations)
        {
            // A stop resumes a parked loop on the stopper's thread (a supervisor's): the stop callback must not run there.
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }

        _stopping.Cancel();
        try
        {
            await TerminateAsync(reason, _killed.Token).ConfigureAwait(false);
        }
        catch (Exception crash) when (!_killed.IsCancellationRequested)
        {
            if (_options.LoggerFactory is { } loggers)
            {
                WorkerLog.TerminateCrashed(loggers.CreateLogger(WorkerLog.Category), Name, Id, reason, crash);
            }

            reason = ExitReason.Failure(crash);
        }
        catch (Exception)
        {
            // Killed meanwhile: what the callback did no longer matters.
        }

        await WaitForBackgroundLoopsAsync().ConfigureAwait(false);
        DrainMailbox();
        if (!_killed.IsCancellationRequested)
        {
            // A kill may have run this far inline, from its own token's callbacks, before its exit: the kill's reason stands.
            Exit(reason);
        }
    }

    /// <summary>Waits for the background loops to end; a kill abandons the wait.</summary>
    private Task WaitForBackgroundLoopsAsync() => Volatile.Read(ref _backgroundLoops)?.WaitAsync(_killed.Token) ?? Task.CompletedTask;

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
        _stopping.Cancel();
        Interlocked.Exchange(ref _watching, WatchedMonitors.Closed)?.Close();
        Monitors.FireAll(reason);
        CompletionSource.TrySetResult(reason);
    }
}
