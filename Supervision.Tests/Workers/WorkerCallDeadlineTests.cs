using Microsoft.Extensions.Time.Testing;
using Supervision.Tests.Support;

namespace Supervision.Tests.Workers;

/// <summary>gen:do_call: one deadline per call, and a callee that exits (or is stopping) fails the call at once.</summary>
public class WorkerCallDeadlineTests
{
    [Test]
    public async Task A_call_waiting_for_room_in_a_full_mailbox_fails_at_once_when_the_worker_is_stopped()
    {
        var clock = new FakeTimeProvider();
        var worker = new ScriptedWorker(new WorkerOptions { Mailbox = MailboxOptions.Bounded(1), TimeProvider = clock });
        await worker.StartAsync();
        var entered = Signals.New();
        var release = Signals.New();
        worker.Tell(ScriptedWorker.Block(entered, release.Task)).Should().BeTrue();
        await entered.Task.WithinTimeout();
        worker.Tell(ScriptedWorker.Do(() => { })).Should().BeTrue("the one slot");
        var call = worker.CallAsync<int>(reply => ScriptedWorker.Do(() => reply.Send(1)), TimeSpan.FromSeconds(5));
        call.IsCompleted.Should().BeFalse("the call waits for room");

        worker.Stop();

        // The handler in hand still blocks the exit, and the clock does not move: the answer comes from the stop itself.
        var wait = () => call.WithinTimeout();
        (await wait.Should().ThrowAsync<ProcessExitedException>()).Which.Reason.Should().Be(ExitReason.Shutdown);
        worker.HasExited.Should().BeFalse();
        release.SetResult();
        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
    }

    [Test]
    public async Task The_wait_for_room_and_the_wait_for_the_reply_share_one_deadline()
    {
        var clock = new FakeTimeProvider();
        var worker = new ScriptedWorker(new WorkerOptions { Mailbox = MailboxOptions.Bounded(1), TimeProvider = clock });
        await worker.StartAsync();
        var entered = Signals.New();
        var release = Signals.New();
        var replyGate = Signals.New();
        var callEntered = Signals.New();
        worker.Tell(ScriptedWorker.Block(entered, release.Task)).Should().BeTrue();
        await entered.Task.WithinTimeout();
        worker.Tell(ScriptedWorker.Do(() => { })).Should().BeTrue();
        var call = worker.CallAsync<int>(
            reply => async _ =>
            {
                callEntered.SetResult();
                await replyGate.Task;
            },
            TimeSpan.FromSeconds(5));

        clock.Advance(TimeSpan.FromSeconds(3));
        release.SetResult();
        await callEntered.Task.WithinTimeout();

        // Queued after 3 s, and the handler never replies: the call ends 5 s after it began, not 3 + 5.
        clock.Advance(TimeSpan.FromSeconds(2));
        var wait = () => call.WithinTimeout();
        await wait.Should().ThrowAsync<CallTimeoutException>();
        replyGate.SetResult();
        worker.Stop();
    }
}
