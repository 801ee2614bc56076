using Supervision.Tests.Support;

namespace Supervision.Tests.Workers;

/// <summary>OTP's handle_continue: init returns {ok, State, {continue, T}} and the rest runs on the process's own loop, before any message.</summary>
public class WorkerContinueTests
{
    private sealed class SlowToWarmUp(Task warmUp, bool continues, Task? initGate = null) : Worker<Reply<string>>(new WorkerOptions { Name = "warm" })
    {
        private string _state = "cold";

        public TaskCompletionSource InitEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ContinueEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The state the stop callback found.</summary>
        public TaskCompletionSource<string> Terminated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async ValueTask InitAsync(CancellationToken cancellationToken)
        {
            if (continues)
            {
                Continue();
            }

            InitEntered.TrySetResult();
            await (initGate ?? Task.CompletedTask);
        }

        protected override async ValueTask HandleContinueAsync(CancellationToken cancellationToken)
        {
            ContinueEntered.TrySetResult();
            await warmUp;
            _state = "warm";
        }

        protected override ValueTask HandleAsync(Reply<string> message, CancellationToken cancellationToken)
        {
            message.Send(_state);
            return ValueTask.CompletedTask;
        }

        protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
        {
            Terminated.TrySetResult(_state);
            return ValueTask.CompletedTask;
        }
    }

    [Test]
    public async Task The_start_returns_before_the_continuation_which_runs_before_any_message()
    {
        var warmUp = Signals.New();
        var worker = new SlowToWarmUp(warmUp.Task, continues: true);
        await worker.StartAsync().WithinTimeout();
        await worker.ContinueEntered.Task.WithinTimeout();

        var state = worker.CallAsync<string>(reply => reply, Timeout.InfiniteTimeSpan);
        state.IsCompleted.Should().BeFalse("the message waits for the continuation");
        warmUp.SetResult();

        (await state.WithinTimeout()).Should().Be("warm");
        worker.Stop();
    }

    [Test]
    public async Task Without_Continue_the_continuation_does_not_run()
    {
        var worker = new SlowToWarmUp(Task.CompletedTask, continues: false);
        await worker.StartAsync();

        (await worker.CallAsync<string>(reply => reply).WithinTimeout()).Should().Be("cold");
        worker.ContinueEntered.Task.IsCompleted.Should().BeFalse();
        worker.Stop();
    }

    // Worker.HandleContinueAsync: "not if a stop was requested first". A stop during init: the start succeeds, the continuation never runs, the stop callback does.
    [Test]
    public async Task A_stop_requested_before_the_start_returned_skips_the_continuation()
    {
        var initGate = Signals.New();
        var worker = new SlowToWarmUp(Task.CompletedTask, continues: true, initGate.Task);
        var start = worker.StartAsync();
        await worker.InitEntered.Task.WithinTimeout();

        worker.Stop();
        initGate.SetResult();

        await start.WithinTimeout();
        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        (await worker.Terminated.Task.WithinTimeout()).Should().Be("cold");
        worker.ContinueEntered.Task.IsCompleted.Should().BeFalse("the stop came before the continuation");
    }

    // A stop that comes once the continuation runs lets it finish, as a message in hand, then the stop callback runs.
    [Test]
    public async Task A_stop_during_the_continuation_lets_it_finish()
    {
        var warmUp = Signals.New();
        var worker = new SlowToWarmUp(warmUp.Task, continues: true);
        await worker.StartAsync().WithinTimeout();
        await worker.ContinueEntered.Task.WithinTimeout();

        worker.Stop();
        worker.Completion.IsCompleted.Should().BeFalse("the continuation in hand is not abandoned");
        warmUp.SetResult();

        (await worker.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        (await worker.Terminated.Task).Should().Be("warm");
    }

    [Test]
    public async Task A_supervisor_start_does_not_wait_for_the_continuation()
    {
        var warmUp = Signals.New();
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions());
        await using var guard = sup.Guard();

        var child = (SlowToWarmUp)(await sup.StartChildAsync(ChildSpec.ForWorker("warm", () => new SlowToWarmUp(warmUp.Task, continues: true))).WithinTimeout())!;

        await child.ContinueEntered.Task.WithinTimeout();
        (await sup.CountChildrenAsync()).Active.Should().Be(1);
        warmUp.SetResult();
    }

    [Test]
    public void Continue_outside_init_is_refused()
    {
        var worker = new ScriptedWorker();
        var call = () => typeof(Worker<ScriptedWorker.Step>).GetMethod("Continue", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.Invoke(worker, null);
        call.Should().Throw<System.Reflection.TargetInvocationException>().WithInnerException<InvalidOperationException>();
    }
}
