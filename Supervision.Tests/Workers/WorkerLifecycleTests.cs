namespace Supervision.Tests.Workers;

public class WorkerLifecycleTests
{
    [Test]
    public async Task Init_runs_before_any_message_is_handled()
    {
        var worker = new ScriptedWorker(init: (self, _) =>
        {
            self.Log.Add("init:start");
            self.Tell(ScriptedWorker.Do(() => self.Log.Add("handled:from-init")));
            self.Log.Add("init:end");
            return ValueTask.CompletedTask;
        });
        worker.Tell(ScriptedWorker.Do(() => worker.Log.Add("handled:before-start"))).Should().BeTrue();

        await worker.StartAsync();
        await worker.Log.WaitForAsync("handled:from-init");

        worker.Log.Events.Should().Equal("init:start", "init:end", "handled:before-start", "handled:from-init");
        worker.Stop();
        await worker.Completion.WithinTimeout();
    }

    [Test]
    public async Task Init_that_throws_fails_the_start_with_that_exception_and_the_worker_exits_with_failure()
    {
        var boom = new InvalidOperationException("init boom");
        var handled = 0;
        var worker = new ScriptedWorker(init: (_, _) => throw boom);
        worker.Tell(ScriptedWorker.Do(() => Interlocked.Increment(ref handled))).Should().BeTrue();

        var act = () => worker.StartAsync();

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(boom);
        worker.HasExited.Should().BeTrue();
        worker.Completion.IsCompleted.Should().BeTrue();
        var reason = await worker.Completion;
        reason.Kind.Should().Be(ExitKind.Failure);
        reason.Exception.Should().BeSameAs(boom);
        worker.Terminations.Should().BeEmpty("the stop callback never runs for a failed init");
        worker.Tell(ScriptedWorker.Do(() => Interlocked.Increment(ref handled))).Should().BeFalse();
        var call = () => worker.CallAsync<int>(reply => ScriptedWorker.Do(() => reply.Send(1)), Timeout.InfiniteTimeSpan);
        (await call.Should().ThrowAsync<ProcessExitedException>()).Which.Reason.Should().Be(reason);
        Volatile.Read(ref handled).Should().Be(0);
    }

    [Test]
    public async Task Starting_a_worker_twice_throws()
    {
        var worker = new ScriptedWorker();
        await worker.StartAsync();

        var again = () => worker.StartAsync();

        await again.Should().ThrowAsync<InvalidOperationException>();
        worker.HasExited.Should().BeFalse();
        (await worker.PingAsync()).Should().BeTrue();
        worker.Stop();
        await worker.Completion.WithinTimeout();
    }

    [Test]
    public async Task HasExited_is_false_until_the_worker_has_exited()
    {
        var worker = new ScriptedWorker();
        worker.HasExited.Should().BeFalse();
        await worker.StartAsync();
        worker.HasExited.Should().BeFalse();

        worker.Stop();
        await worker.Completion.WithinTimeout();

        worker.HasExited.Should().BeTrue();
    }

    [Test]
    public async Task Tell_returns_true_on_a_live_worker_and_false_after_it_exited()
    {
        var worker = new ScriptedWorker();
        await worker.StartAsync();

        worker.Tell(ScriptedWorker.Do(() => worker.Log.Add("one"))).Should().BeTrue();
        await worker.Log.WaitForAsync("one");
        worker.Stop();
        await worker.Completion.WithinTimeout();

        worker.Tell(ScriptedWorker.Do(() => worker.Log.Add("two"))).Should().BeFalse();
        worker.Log.Events.Should().NotContain("two");
    }

    [Test]
    public async Task Stop_runs_the_stop_callback_exactly_once_with_shutdown()
    {
        var worker = new ScriptedWorker();
        await worker.StartAsync();

        worker.Stop();
        worker.Stop();
        worker.Stop(ExitReason.Normal);

        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        worker.Terminations.Should().Equal(ExitReason.Shutdown);
    }

    // OTP's {stop, Reason} from a callback.
    [Test]
    public async Task Stop_from_inside_a_handler_exits_with_the_given_reason_after_the_stop_callback()
    {
        var reason = ExitReason.ShutdownWith("rotate");
        var worker = new ScriptedWorker();
        await worker.StartAsync();

        worker.Tell(ScriptedWorker.Do(() => worker.Stop(reason)));

        (await worker.Completion.WithinTimeout()).Should().Be(reason);
        worker.Terminations.Should().Equal(reason);
    }

    [Test]
    public async Task A_worker_that_stops_itself_with_normal_exits_normal()
    {
        var worker = new ScriptedWorker();
        await worker.StartAsync();

        worker.Tell(ScriptedWorker.Do(() => worker.Stop(ExitReason.Normal)));

        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Normal);
        worker.Terminations.Should().Equal(ExitReason.Normal);
    }

    [Test]
    public async Task A_crash_in_a_handler_runs_the_stop_callback_once_with_the_failure()
    {
        var boom = new InvalidOperationException("handler boom");
        var worker = new ScriptedWorker();
        await worker.StartAsync();

        worker.Tell(_ => throw boom);

        var reason = await worker.Completion.WithinTimeout();
        reason.Kind.Should().Be(ExitKind.Failure);
        reason.Exception.Should().BeSameAs(boom);
        worker.Terminations.Should().ContainSingle().Which.Should().Be(reason);
    }

    [Test]
    public async Task A_graceful_stop_lets_the_message_in_hand_finish_with_an_uncancelled_token()
    {
        var entered = Signals.New();
        var release = Signals.New();
        var worker = new ScriptedWorker();
        await worker.StartAsync();
        worker.Tell(async token =>
        {
            entered.TrySetResult();
            await release.Task;
            worker.Log.Add($"finished:cancelled={token.IsCancellationRequested}");
        });
        await entered.Task.WithinTimeout();

        worker.Stop();

        worker.Completion.IsCompleted.Should().BeFalse();
        release.SetResult();
        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        worker.Log.Events.Should().Equal("finished:cancelled=False", "terminate:shutdown");
    }

    [Test]
    public async Task Messages_queued_when_the_worker_is_stopped_are_dropped()
    {
        var entered = Signals.New();
        var release = Signals.New();
        var worker = new ScriptedWorker();
        await worker.StartAsync();
        worker.Tell(ScriptedWorker.Block(entered, release.Task));
        await entered.Task.WithinTimeout();
        worker.Tell(ScriptedWorker.Do(() => worker.Log.Add("queued:1"))).Should().BeTrue();
        var queuedCall = worker.CallAsync<int>(reply => ScriptedWorker.Do(() => reply.Send(2)), Timeout.InfiniteTimeSpan);

        worker.Stop();
        release.SetResult();

        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        worker.Log.Events.Should().Equal("terminate:shutdown");
        var call = () => queuedCall.WithinTimeout();
        (await call.Should().ThrowAsync<ProcessExitedException>()).Which.Reason.Should().Be(ExitReason.Shutdown);
    }

    [Test]
    public async Task Kill_completes_with_killed_at_once_and_runs_no_stop_callback()
    {
        var worker = new ScriptedWorker();
        await worker.StartAsync();

        worker.Kill();

        worker.HasExited.Should().BeTrue();
        worker.Completion.IsCompleted.Should().BeTrue();
        (await worker.Completion).Should().Be(ExitReason.Killed);
        var ping = () => worker.PingAsync();
        (await ping.Should().ThrowAsync<ProcessExitedException>()).Which.Reason.Should().Be(ExitReason.Killed);
        worker.Terminations.Should().BeEmpty();
    }

    [Test]
    public async Task Kill_cancels_the_handlers_token_and_delivers_nothing_more()
    {
        var entered = Signals.New();
        var worker = new ScriptedWorker();
        await worker.StartAsync();
        worker.Tell(async token =>
        {
            entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }
            catch (OperationCanceledException)
            {
                worker.Log.Add("handler:cancelled");
            }
        });
        await entered.Task.WithinTimeout();
        worker.Tell(ScriptedWorker.Do(() => worker.Log.Add("handled:queued-before-kill"))).Should().BeTrue();

        worker.Kill();

        worker.Completion.IsCompleted.Should().BeTrue();
        (await worker.Completion).Should().Be(ExitReason.Killed);
        await worker.Log.WaitForAsync("handler:cancelled");
        worker.Tell(ScriptedWorker.Do(() => worker.Log.Add("handled:after-kill"))).Should().BeFalse();
        worker.Log.Events.Should().Equal("handler:cancelled");
        worker.Terminations.Should().BeEmpty();
    }

    [Test]
    public async Task Kill_of_a_worker_stuck_in_a_handler_that_ignores_its_token_still_completes_with_killed()
    {
        var entered = Signals.New();
        var neverReleased = Signals.New();
        var worker = new ScriptedWorker();
        await worker.StartAsync();
        worker.Tell(ScriptedWorker.Block(entered, neverReleased.Task));
        await entered.Task.WithinTimeout();

        worker.Kill();

        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Killed);
        worker.HasExited.Should().BeTrue();
        worker.Terminations.Should().BeEmpty();
        neverReleased.SetResult();
    }

    [Test]
    public async Task Kill_after_a_graceful_stop_began_completes_with_killed_and_skips_the_stop_callback()
    {
        var entered = Signals.New();
        var release = Signals.New();
        var worker = new ScriptedWorker();
        await worker.StartAsync();
        worker.Tell(ScriptedWorker.Block(entered, release.Task));
        await entered.Task.WithinTimeout();

        worker.Stop();
        worker.Kill();

        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Killed);
        release.SetResult();
        worker.Terminations.Should().BeEmpty();
    }
}
