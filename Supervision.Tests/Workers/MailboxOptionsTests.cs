namespace Supervision.Tests.Workers;

public class MailboxOptionsTests
{
    [Test]
    public void Default_worker_options_are_an_unbounded_mailbox_the_system_clock_and_a_five_second_call_timeout()
    {
        var options = WorkerOptions.Default;

        options.DefaultCallTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.Mailbox.Capacity.Should().BeNull();
        options.Mailbox.FullMode.Should().Be(MailboxFullMode.Wait);
        options.TimeProvider.Should().BeSameAs(TimeProvider.System);
        options.Name.Should().BeNull();
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void A_bounded_mailbox_of_capacity_below_one_is_rejected_when_the_worker_is_constructed(int capacity)
    {
        var options = new WorkerOptions { Mailbox = MailboxOptions.Bounded(capacity) };

        var construct = () => new ScriptedWorker(options);

        construct.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(MailboxOptions.Capacity));
    }

    [Test]
    public void An_undefined_full_mode_is_rejected_when_the_worker_is_constructed()
    {
        var options = new WorkerOptions { Mailbox = MailboxOptions.Bounded(4, (MailboxFullMode)42) };

        var construct = () => new ScriptedWorker(options);

        construct.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(MailboxOptions.FullMode));
    }

    [Test]
    public void A_negative_default_call_timeout_is_rejected_when_the_worker_is_constructed()
    {
        var options = new WorkerOptions { DefaultCallTimeout = TimeSpan.FromMilliseconds(-5) };

        var construct = () => new ScriptedWorker(options);

        construct.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(nameof(WorkerOptions.DefaultCallTimeout));
    }

    [Test]
    public void An_infinite_default_call_timeout_and_a_capacity_of_one_are_accepted()
    {
        var options = new WorkerOptions
        {
            DefaultCallTimeout = Timeout.InfiniteTimeSpan,
            Mailbox = MailboxOptions.Bounded(1, MailboxFullMode.FailFast),
        };

        var construct = () => new ScriptedWorker(options);

        construct.Should().NotThrow();
    }

    [Test]
    public void A_missing_time_provider_is_rejected_when_the_worker_is_constructed()
    {
        var options = new WorkerOptions { TimeProvider = null! };

        var construct = () => new ScriptedWorker(options);

        construct.Should().Throw<ArgumentNullException>();
    }

    [Test]
    public async Task Tell_returns_false_when_a_bounded_mailbox_is_full()
    {
        var (worker, release) = await StartBlockedAsync(capacity: 2, MailboxFullMode.Wait);

        worker.Tell(Record(worker, "1")).Should().BeTrue();
        worker.Tell(Record(worker, "2")).Should().BeTrue();
        worker.Tell(Record(worker, "3")).Should().BeFalse();
        worker.MailboxCount.Should().Be(2);

        release.SetResult();
        (await worker.PingAsync()).Should().BeTrue();
        worker.Log.Events.Should().Equal("1", "2");
        await StopAsync(worker);
    }

    [Test]
    public async Task TellAsync_under_wait_mode_waits_for_room_and_completes_once_the_worker_drains()
    {
        var (worker, release) = await StartBlockedAsync(capacity: 1, MailboxFullMode.Wait);
        worker.Tell(Record(worker, "1")).Should().BeTrue();

        var pending = worker.TellAsync(Record(worker, "2")).AsTask();

        pending.IsCompleted.Should().BeFalse();
        release.SetResult();
        (await pending.WithinTimeout()).Should().BeTrue();
        await worker.Log.WaitForAsync("2");
        worker.Log.Events.Should().Equal("1", "2");
        await StopAsync(worker);
    }

    [Test]
    public async Task TellAsync_under_fail_fast_returns_false_at_once_when_the_mailbox_is_full()
    {
        var (worker, release) = await StartBlockedAsync(capacity: 1, MailboxFullMode.FailFast);
        worker.Tell(Record(worker, "1")).Should().BeTrue();

        var pending = worker.TellAsync(Record(worker, "2")).AsTask();

        pending.IsCompleted.Should().BeTrue();
        (await pending).Should().BeFalse();
        release.SetResult();
        await worker.Log.WaitForAsync("1");
        (await worker.PingAsync()).Should().BeTrue();
        worker.Log.Events.Should().Equal("1");
        await StopAsync(worker);
    }

    [Test]
    public async Task TellAsync_waiting_for_room_returns_false_when_the_worker_stops()
    {
        var (worker, release) = await StartBlockedAsync(capacity: 1, MailboxFullMode.Wait);
        worker.Tell(Record(worker, "1")).Should().BeTrue();
        var pending = worker.TellAsync(Record(worker, "2")).AsTask();

        worker.Stop();

        (await pending.WithinTimeout()).Should().BeFalse();
        release.SetResult();
        await worker.Completion.WithinTimeout();
        worker.Log.Events.Should().Equal("terminate:shutdown");
    }

    [Test]
    public async Task TellAsync_returns_false_after_the_worker_exited()
    {
        var worker = new ScriptedWorker(new WorkerOptions { Mailbox = MailboxOptions.Bounded(4) });
        await worker.StartAsync();
        worker.Stop();
        await worker.Completion.WithinTimeout();

        (await worker.TellAsync(Record(worker, "late")).AsTask().WithinTimeout()).Should().BeFalse();
    }

    [Test]
    public async Task Call_to_a_full_fail_fast_mailbox_throws_MailboxFullException()
    {
        var (worker, release) = await StartBlockedAsync(capacity: 1, MailboxFullMode.FailFast);
        worker.Tell(Record(worker, "1")).Should().BeTrue();

        var call = () => worker.CallAsync<int>(reply => ScriptedWorker.Do(() => reply.Send(1)), Timeout.InfiniteTimeSpan);

        (await call.Should().ThrowAsync<MailboxFullException>()).Which.Process.Should().Be(worker.Id);
        release.SetResult();
        await worker.Log.WaitForAsync("1");
        (await worker.PingAsync()).Should().BeTrue();
        worker.HasExited.Should().BeFalse();
        await StopAsync(worker);
    }

    [Test]
    public async Task Call_to_a_full_wait_mode_mailbox_waits_for_room_and_then_gets_its_reply()
    {
        var (worker, release) = await StartBlockedAsync(capacity: 1, MailboxFullMode.Wait);
        worker.Tell(Record(worker, "1")).Should().BeTrue();

        var call = worker.CallAsync<string>(reply => ScriptedWorker.Do(() => reply.Send("reply")), Timeout.InfiniteTimeSpan);

        call.IsCompleted.Should().BeFalse();
        release.SetResult();
        (await call.WithinTimeout()).Should().Be("reply");
        await StopAsync(worker);
    }

    // The timeout covers the wait for room: a call that gave up is not delivered later.
    [Test]
    public async Task A_call_that_times_out_waiting_for_room_is_never_delivered()
    {
        var (worker, release) = await StartBlockedAsync(capacity: 1, MailboxFullMode.Wait);
        worker.Tell(Record(worker, "1")).Should().BeTrue();

        var call = () => worker.CallAsync<int>(
            reply => ScriptedWorker.Do(() =>
            {
                worker.Log.Add("timed-out-call");
                reply.Send(1);
            }),
            TimeSpan.FromMilliseconds(100));

        await call.Should().ThrowAsync<CallTimeoutException>();
        release.SetResult();
        (await worker.PingAsync()).Should().BeTrue();
        worker.Log.Events.Should().Equal("1");
        await StopAsync(worker);
    }

    private static ScriptedWorker.Step Record(ScriptedWorker worker, string entry) => ScriptedWorker.Do(() => worker.Log.Add(entry));

    /// <summary>Starts a bounded worker whose loop is parked in a handler, so its mailbox is empty and fills up.</summary>
    private static async Task<(ScriptedWorker Worker, TaskCompletionSource Release)> StartBlockedAsync(int capacity, MailboxFullMode mode)
    {
        var worker = new ScriptedWorker(new WorkerOptions { Mailbox = MailboxOptions.Bounded(capacity, mode) });
        await worker.StartAsync();
        var entered = Signals.New();
        var release = Signals.New();
        worker.Tell(ScriptedWorker.Block(entered, release.Task)).Should().BeTrue();
        await entered.Task.WithinTimeout();
        return (worker, release);
    }

    private static async Task StopAsync(ScriptedWorker worker)
    {
        worker.Stop();
        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
    }
}
