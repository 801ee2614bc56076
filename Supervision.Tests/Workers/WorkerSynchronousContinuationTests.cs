namespace Supervision.Tests.Workers;

public class WorkerSynchronousContinuationTests
{
    private const int Attempts = 50;

    [Test]
    public async Task With_synchronous_continuations_a_tell_to_an_idle_worker_is_handled_before_tell_returns()
    {
        var worker = new ThreadRecordingWorker(new MailboxOptions { AllowSynchronousContinuations = true });
        await worker.StartAsync();

        // The worker is idle once it waits for mail; a tell may still race its last step there, so try a few times.
        var inline = false;
        for (var attempt = 0; attempt < Attempts && !inline; attempt++)
        {
            inline = await worker.TellAndCheckInlineAsync(attempt);
        }

        inline.Should().BeTrue("an idle worker resumes on the sender's thread");
        worker.Stop();
        await worker.Completion.WithinTimeout();
    }

    [Test]
    public async Task By_default_a_tell_never_runs_the_handler_on_the_senders_thread()
    {
        var worker = new ThreadRecordingWorker(MailboxOptions.Unbounded);
        await worker.StartAsync();

        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            (await worker.TellAndCheckInlineAsync(attempt)).Should().BeFalse();
        }

        worker.Stop();
        await worker.Completion.WithinTimeout();
    }

    private sealed class ThreadRecordingWorker(MailboxOptions mailbox) : Worker<int>(new WorkerOptions { Mailbox = mailbox })
    {
        private int _handledOnThread;
        private TaskCompletionSource _handled = Signals.New();

        /// <summary>Tells <paramref name="message"/>; true if it was handled on this thread while Tell ran.</summary>
        public async Task<bool> TellAndCheckInlineAsync(int message)
        {
            _handled = Signals.New();
            Volatile.Write(ref _handledOnThread, 0);
            var sender = Environment.CurrentManagedThreadId;
            Tell(message).Should().BeTrue();
            var inline = Volatile.Read(ref _handledOnThread) == sender;
            await _handled.Task.WithinTimeout();
            return inline;
        }

        protected override ValueTask HandleAsync(int message, CancellationToken cancellationToken)
        {
            Volatile.Write(ref _handledOnThread, Environment.CurrentManagedThreadId);
            _handled.SetResult();
            return ValueTask.CompletedTask;
        }
    }
}
