namespace Supervision.Tests.Workers;

public class WorkerBackgroundLoopTests
{
    [Test]
    public async Task A_background_loop_that_throws_crashes_the_worker_and_the_stop_callback_gets_its_exception()
    {
        var boom = new IOException("socket reset");
        var trigger = Signals.New();
        var worker = new ScriptedWorker(init: (self, _) =>
        {
            self.Background(async _ =>
            {
                await trigger.Task;
                throw boom;
            });
            return ValueTask.CompletedTask;
        });
        await worker.StartAsync();

        trigger.SetResult();

        var reason = await worker.Completion.WithinTimeout();
        reason.Kind.Should().Be(ExitKind.Failure);
        reason.Exception.Should().BeSameAs(boom);
        worker.Terminations.Should().ContainSingle().Which.Exception.Should().BeSameAs(boom);
    }

    [Test]
    public async Task Stop_cancels_the_background_loops_and_waits_for_them_to_finish()
    {
        var release = Signals.New();
        var worker = new ScriptedWorker(init: (self, _) =>
        {
            self.Background(async token =>
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, token);
                }
                catch (OperationCanceledException)
                {
                    self.Log.Add("loop:cancelled");
                }

                // Cleanup that outlasts the stop callback.
                await release.Task;
                self.Log.Add("loop:done");
            });
            return ValueTask.CompletedTask;
        });
        await worker.StartAsync();
        worker.Monitor(down => worker.Log.Add("exited"));

        worker.Stop();
        await worker.Log.WaitForAsync(events => events.Contains("loop:cancelled") && events.Contains("terminate:shutdown"));

        worker.Completion.IsCompleted.Should().BeFalse("the stop waits for the background loop");
        release.SetResult();
        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        worker.Log.Events.Should().EndWith(["loop:done", "exited"]);
        worker.Terminations.Should().Equal(ExitReason.Shutdown);
    }

    [Test]
    public async Task A_background_loop_that_ends_with_cancellation_on_stop_does_not_change_the_exit_reason()
    {
        var worker = new ScriptedWorker(init: (self, _) =>
        {
            self.Background(token => Task.Delay(Timeout.InfiniteTimeSpan, token));
            return ValueTask.CompletedTask;
        });
        await worker.StartAsync();

        worker.Stop();

        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        worker.Terminations.Should().Equal(ExitReason.Shutdown);
    }

    [Test]
    public async Task Kill_cancels_the_background_loops_token()
    {
        var cancelled = Signals.New();
        var worker = new ScriptedWorker(init: (self, _) =>
        {
            self.Background(async token =>
            {
                using var registration = token.Register(() => cancelled.TrySetResult());
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            });
            return ValueTask.CompletedTask;
        });
        await worker.StartAsync();

        worker.Kill();

        await cancelled.Task.WithinTimeout();
        (await worker.Completion).Should().Be(ExitReason.Killed);
        worker.Terminations.Should().BeEmpty();
    }

    [Test]
    public async Task Init_failure_stops_the_loops_started_in_init_before_the_start_throws()
    {
        var boom = new InvalidOperationException("init boom");
        var loopStarted = Signals.New();
        var worker = new ScriptedWorker(init: async (self, _) =>
        {
            self.Background(async token =>
            {
                try
                {
                    loopStarted.SetResult();
                    await Task.Delay(Timeout.InfiniteTimeSpan, token);
                }
                finally
                {
                    self.Log.Add("loop:done");
                }
            });
            await loopStarted.Task.WithinTimeout();
            throw boom;
        });

        var start = () => worker.StartAsync();

        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(boom);
        worker.Log.Events.Should().Equal("loop:done");
        (await worker.Completion).Exception.Should().BeSameAs(boom);
        worker.Terminations.Should().BeEmpty();
    }

    [Test]
    public async Task Finished_background_loops_are_forgotten_and_loops_may_start_loops()
    {
        var worker = new ScriptedWorker();
        await worker.StartAsync();
        var done = new CountdownEvent(1000);

        worker.Background(_ =>
        {
            // A loop that starts the rest, from its own thread, while the worker's loop starts others.
            for (var i = 0; i < 500; i++)
            {
                worker.Background(_ =>
                {
                    done.Signal();
                    return Task.CompletedTask;
                });
            }

            return Task.CompletedTask;
        });
        for (var i = 0; i < 500; i++)
        {
            worker.Tell(ScriptedWorker.Do(() => worker.Background(_ =>
            {
                done.Signal();
                return Task.CompletedTask;
            })));
        }

        await Task.Run(() => done.Wait(TimeSpan.FromSeconds(10))).WithinTimeout();
        await worker.PingAsync();
        worker.Stop();

        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        worker.BackgroundLoopCount.Should().Be(0, "nothing is kept of a loop that ended");
    }

    [Test]
    public async Task The_loop_count_drops_as_loops_end_and_the_wait_ends_with_the_last()
    {
        var loops = new BackgroundLoops();
        loops.WhenAllDone().IsCompleted.Should().BeTrue();
        loops.Started();
        loops.Started();
        var allDone = loops.WhenAllDone();

        loops.Finished();
        loops.Running.Should().Be(1);
        allDone.IsCompleted.Should().BeFalse();
        loops.Finished();

        await allDone.WithinTimeout();
        loops.Running.Should().Be(0);
    }
}
