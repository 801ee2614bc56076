using Microsoft.Extensions.Time.Testing;

namespace Supervision.Tests.Workers;

public class WorkerCallTests
{
    [Test]
    public async Task Call_returns_the_handlers_reply()
    {
        var worker = await StartAsync();

        var answer = await worker.CallAsync<int>(reply => ScriptedWorker.Do(() => reply.Send(42))).WithinTimeout();

        answer.Should().Be(42);
        await StopAsync(worker);
    }

    [Test]
    public async Task Call_without_a_timeout_times_out_after_five_seconds_of_the_workers_clock()
    {
        var clock = new FakeTimeProvider();
        var received = Signals.New();
        var worker = await StartAsync(new WorkerOptions { TimeProvider = clock });

        var call = worker.CallAsync<int>(_ => ScriptedWorker.Do(received.SetResult));
        await received.Task.WithinTimeout();
        clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        call.IsCompleted.Should().BeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(1));

        var wait = () => call.WithinTimeout();
        var timeout = (await wait.Should().ThrowAsync<CallTimeoutException>()).Which;
        timeout.Timeout.Should().Be(TimeSpan.FromSeconds(5));
        timeout.Process.Should().Be(worker.Id);
        worker.HasExited.Should().BeFalse();
        await StopAsync(worker);
    }

    [Test]
    public async Task Call_with_an_explicit_timeout_times_out_after_that_timeout()
    {
        var clock = new FakeTimeProvider();
        var received = Signals.New();
        var worker = await StartAsync(new WorkerOptions { TimeProvider = clock });

        var call = worker.CallAsync<int>(_ => ScriptedWorker.Do(received.SetResult), TimeSpan.FromMilliseconds(200));
        await received.Task.WithinTimeout();
        clock.Advance(TimeSpan.FromMilliseconds(200));

        var wait = () => call.WithinTimeout();
        (await wait.Should().ThrowAsync<CallTimeoutException>()).Which.Timeout.Should().Be(TimeSpan.FromMilliseconds(200));
        await StopAsync(worker);
    }

    [Test]
    public async Task Call_with_a_short_timeout_on_the_system_clock_times_out()
    {
        var worker = await StartAsync();

        var call = () => worker.CallAsync<int>(_ => ScriptedWorker.Do(() => { }), TimeSpan.FromMilliseconds(50)).WithinTimeout();

        (await call.Should().ThrowAsync<CallTimeoutException>()).Which.Timeout.Should().Be(TimeSpan.FromMilliseconds(50));
        await StopAsync(worker);
    }

    [Test]
    public async Task A_late_reply_after_a_timeout_is_dropped_and_the_worker_keeps_running()
    {
        var clock = new FakeTimeProvider();
        var received = Signals.New();
        Reply<string>? held = null;
        var worker = await StartAsync(new WorkerOptions { TimeProvider = clock });

        var call = worker.CallAsync<string>(reply => ScriptedWorker.Do(() =>
        {
            held = reply;
            received.SetResult();
        }));
        await received.Task.WithinTimeout();
        clock.Advance(TimeSpan.FromSeconds(5));
        var wait = () => call.WithinTimeout();
        await wait.Should().ThrowAsync<CallTimeoutException>();

        worker.Tell(ScriptedWorker.Do(() => held!.Send("late"))).Should().BeTrue();
        var next = await worker.CallAsync<string>(reply => ScriptedWorker.Do(() => reply.Send("next"))).WithinTimeout();

        next.Should().Be("next");
        call.IsFaulted.Should().BeTrue();
        call.Exception!.InnerException.Should().BeOfType<CallTimeoutException>();
        worker.HasExited.Should().BeFalse();
        await StopAsync(worker);
    }

    [Test]
    public async Task Call_to_an_exited_worker_fails_at_once_with_its_exit_reason()
    {
        var reason = ExitReason.ShutdownWith("maintenance");
        var handled = false;
        var worker = await StartAsync();
        worker.Stop(reason);
        await worker.Completion.WithinTimeout();

        var call = worker.CallAsync<int>(reply => ScriptedWorker.Do(() => handled = reply.Send(1)), Timeout.InfiniteTimeSpan);

        call.IsCompleted.Should().BeTrue("a call to a dead process fails without waiting (noproc)");
        var wait = () => call;
        var failure = (await wait.Should().ThrowAsync<ProcessExitedException>()).Which;
        failure.Reason.Should().Be(reason);
        failure.Process.Should().Be(worker.Id);
        handled.Should().BeFalse();
    }

    [Test]
    public async Task Call_to_a_worker_that_crashes_mid_call_fails_with_its_reason()
    {
        var boom = new InvalidOperationException("crash mid call");
        var worker = await StartAsync();

        var call = () => worker.CallAsync<int>(_ => _ => throw boom, Timeout.InfiniteTimeSpan).WithinTimeout();

        var failure = (await call.Should().ThrowAsync<ProcessExitedException>()).Which;
        failure.Reason.Kind.Should().Be(ExitKind.Failure);
        failure.Reason.Exception.Should().BeSameAs(boom);
        failure.InnerException.Should().BeSameAs(boom);
        (await worker.Completion.WithinTimeout()).Should().Be(failure.Reason);
    }

    [Test]
    public async Task Call_to_a_worker_that_stops_itself_without_replying_fails_with_that_reason()
    {
        var worker = await StartAsync();

        var call = () => worker.CallAsync<int>(_ => ScriptedWorker.Do(() => worker.Stop(ExitReason.Normal)), Timeout.InfiniteTimeSpan).WithinTimeout();

        (await call.Should().ThrowAsync<ProcessExitedException>()).Which.Reason.Should().Be(ExitReason.Normal);
    }

    [Test]
    public async Task Call_waiting_in_the_queue_of_a_worker_that_is_stopped_fails_with_shutdown()
    {
        var entered = Signals.New();
        var release = Signals.New();
        var handled = false;
        var worker = await StartAsync();
        worker.Tell(ScriptedWorker.Block(entered, release.Task));
        await entered.Task.WithinTimeout();
        var call = worker.CallAsync<int>(reply => ScriptedWorker.Do(() => handled = reply.Send(1)), Timeout.InfiniteTimeSpan);

        worker.Stop();
        release.SetResult();

        var wait = () => call.WithinTimeout();
        (await wait.Should().ThrowAsync<ProcessExitedException>()).Which.Reason.Should().Be(ExitReason.Shutdown);
        handled.Should().BeFalse();
    }

    [Test]
    public async Task Reply_Fail_makes_the_call_throw_that_exception_without_crashing_the_worker()
    {
        var refusal = new ArgumentException("bad request");
        var worker = await StartAsync();

        var call = () => worker.CallAsync<int>(reply => ScriptedWorker.Do(() => reply.Fail(refusal))).WithinTimeout();

        (await call.Should().ThrowAsync<ArgumentException>()).Which.Should().BeSameAs(refusal);
        worker.HasExited.Should().BeFalse();
        (await worker.CallAsync<int>(reply => ScriptedWorker.Do(() => reply.Send(7))).WithinTimeout()).Should().Be(7);
        await StopAsync(worker);
    }

    [Test]
    public async Task Only_the_first_reply_counts()
    {
        var results = new List<bool>();
        var worker = await StartAsync();

        var answer = await worker.CallAsync<string>(reply => ScriptedWorker.Do(() =>
        {
            results.Add(reply.Send("first"));
            results.Add(reply.Send("second"));
            results.Add(reply.Fail(new InvalidOperationException("third")));
            results.Add(reply.IsCompleted);
        })).WithinTimeout();

        answer.Should().Be("first");
        results.Should().Equal(true, false, false, true);
        await StopAsync(worker);
    }

    // Argument validation must happen before the request has any effect.
    [Test]
    public async Task Call_with_a_negative_timeout_is_rejected_before_the_request_is_sent()
    {
        var worker = await StartAsync();

        var call = () => worker.CallAsync<int>(
            reply => ScriptedWorker.Do(() =>
            {
                worker.Log.Add("handled");
                reply.Send(1);
            }),
            TimeSpan.FromMilliseconds(-5));

        await call.Should().ThrowAsync<ArgumentOutOfRangeException>();
        (await worker.PingAsync()).Should().BeTrue();
        worker.Log.Events.Should().NotContain("handled");
        await StopAsync(worker);
    }

    private static async Task<ScriptedWorker> StartAsync(WorkerOptions? options = null)
    {
        var worker = new ScriptedWorker(options);
        await worker.StartAsync();
        return worker;
    }

    private static async Task StopAsync(ScriptedWorker worker)
    {
        worker.Stop();
        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
    }
}
