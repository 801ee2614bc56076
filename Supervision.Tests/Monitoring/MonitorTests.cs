using System.Collections.Concurrent;
using Supervision.Tests.Support;
using Supervision.Tests.Workers;

namespace Supervision.Tests.Monitoring;

public class MonitorTests
{
    [Test]
    public async Task A_down_message_with_the_reason_arrives_in_the_watchers_own_mailbox()
    {
        var (watcher, target) = await StartPairAsync();
        var monitor = await watcher.WatchAsync(target);

        target.Tell(new TestChild.Crash("target boom"));

        await watcher.Log.WaitForAsync("down:target:failure");
        var down = watcher.Downs.Should().ContainSingle().Subject;
        down.Ref.Should().BeSameAs(monitor);
        down.Process.Should().BeSameAs(target);
        down.Reason.Kind.Should().Be(ExitKind.Failure);
        down.Reason.Exception!.Message.Should().Be("target boom");
        down.Reason.Should().Be(await target.Completion.WithinTimeout());
        await StopAsync(watcher);
    }

    [Test]
    public async Task Monitoring_an_already_dead_process_delivers_the_down_message_at_once()
    {
        var (watcher, target) = await StartPairAsync();
        target.Stop(ExitReason.ShutdownWith("gone"));
        await target.Completion.WithinTimeout();

        var monitor = await watcher.WatchAsync(target);

        monitor.IsActive.Should().BeFalse();
        await watcher.Log.WaitForAsync("down:target:shutdown");
        watcher.Downs.Should().ContainSingle().Which.Reason.Should().Be(ExitReason.ShutdownWith("gone"));
        await StopAsync(watcher);
    }

    [Test]
    public async Task After_demonitor_no_down_message_arrives()
    {
        var (watcher, target) = await StartPairAsync();
        var monitor = await watcher.WatchAsync(target);
        await watcher.UnwatchAsync(monitor);

        target.Stop();
        await target.Completion.WithinTimeout();

        // The down message would have been queued before this call, so it would be handled first.
        await watcher.UnwatchAsync(monitor);
        watcher.Downs.Should().BeEmpty();
        watcher.ToMessageCalls.Should().Be(0);
        monitor.IsActive.Should().BeFalse();
        await StopAsync(watcher);
    }

    // erlang:demonitor/1 without flush: a DOWN message already in the mailbox stays there and is received.
    [Test]
    public async Task A_down_message_queued_before_demonitor_is_still_delivered()
    {
        var (watcher, target) = await StartPairAsync();
        var monitor = await watcher.WatchAsync(target);
        var entered = Signals.New();
        var release = Signals.New();
        watcher.DemonitorWhenReleased(monitor, entered, release.Task);
        await entered.Task.WithinTimeout();

        // The watcher's loop is busy, so the target's down message waits in its mailbox; the monitor fires before Completion completes.
        target.Stop();
        await target.Completion.WithinTimeout();
        watcher.ToMessageCalls.Should().Be(1, "the down message was queued");
        release.SetResult();

        await watcher.Log.WaitForAsync("down:target:shutdown");
        watcher.Log.Events.Should().Equal("demonitored", "down:target:shutdown");
        watcher.Downs.Should().ContainSingle().Which.Ref.Should().BeSameAs(monitor);
        monitor.IsActive.Should().BeFalse();
        await StopAsync(watcher);
    }

    [Test]
    public async Task Process_Monitor_calls_back_with_the_ref_the_process_and_the_reason()
    {
        var target = await StartTargetAsync();
        var notice = new TaskCompletionSource<ProcessDown>(TaskCreationOptions.RunContinuationsAsynchronously);

        var monitor = target.Monitor(down => notice.TrySetResult(down));
        monitor.IsActive.Should().BeTrue();
        monitor.Target.Should().BeSameAs(target);
        target.Tell(new TestChild.ExitWith(ExitReason.Normal));

        var down = await notice.Task.WithinTimeout();
        down.Ref.Should().BeSameAs(monitor);
        down.Process.Should().BeSameAs(target);
        down.Reason.Should().Be(ExitReason.Normal);
        monitor.IsActive.Should().BeFalse();
    }

    // Like erlang:monitor/2 on a dead pid; the callback runs on the caller's thread before Monitor returns.
    [Test]
    public async Task Process_Monitor_on_an_exited_process_calls_back_at_once()
    {
        var target = await StartTargetAsync();
        target.Kill();
        ProcessDown? notice = null;

        var monitor = target.Monitor(down => notice = down);

        notice.Should().NotBeNull();
        notice!.Reason.Should().Be(ExitReason.Killed);
        notice.Ref.Should().BeSameAs(monitor);
        monitor.IsActive.Should().BeFalse();
        await target.Completion.WithinTimeout();
    }

    [Test]
    public async Task Monitors_fire_after_HasExited_is_set_and_before_Completion_completes()
    {
        var target = await StartTargetAsync();
        var observed = new TaskCompletionSource<(bool HasExited, bool CompletionDone)>(TaskCreationOptions.RunContinuationsAsynchronously);
        target.Monitor(_ => observed.TrySetResult((target.HasExited, target.Completion.IsCompleted)));

        target.Stop();

        var (hasExited, completionDone) = await observed.Task.WithinTimeout();
        hasExited.Should().BeTrue();
        completionDone.Should().BeFalse();
        await target.Completion.WithinTimeout();
    }

    [Test]
    public async Task Many_monitors_all_fire_exactly_once_before_Completion_completes()
    {
        const int monitors = 1_000;
        var target = await StartTargetAsync();
        var fired = new int[monitors];
        for (var i = 0; i < monitors; i++)
        {
            var index = i;
            target.Monitor(_ => Interlocked.Increment(ref fired[index]));
        }

        target.Tell(new TestChild.Crash());
        await target.Completion.WithinTimeout();

        fired.Should().AllSatisfy(count => count.Should().Be(1));
    }

    [Test]
    public async Task A_demonitored_callback_is_not_called()
    {
        var target = await StartTargetAsync();
        var calls = 0;
        var monitor = target.Monitor(_ => Interlocked.Increment(ref calls));

        monitor.Demonitor();
        monitor.Demonitor();
        target.Stop();
        await target.Completion.WithinTimeout();

        Volatile.Read(ref calls).Should().Be(0);
        monitor.IsActive.Should().BeFalse();
    }

    [TestCase(false, TestName = "A_watcher_that_stops_removes_its_monitors_from_the_target")]
    [TestCase(true, TestName = "A_watcher_that_is_killed_removes_its_monitors_from_the_target")]
    public async Task A_watcher_that_exits_removes_its_monitors_from_the_target(bool kill)
    {
        var (watcher, target) = await StartPairAsync();
        var monitor = await watcher.WatchAsync(target);

        if (kill)
        {
            watcher.Kill();
        }
        else
        {
            watcher.Stop();
        }

        await watcher.Completion.WithinTimeout();
        monitor.IsActive.Should().BeFalse();
        target.Stop();
        await target.Completion.WithinTimeout();

        watcher.ToMessageCalls.Should().Be(0);
    }

    private static async Task<TestChild> StartTargetAsync()
    {
        var target = new TestChild("target", new EventLog());
        await target.StartAsync();
        return target;
    }

    private static async Task<(Watcher Watcher, TestChild Target)> StartPairAsync()
    {
        var watcher = new Watcher();
        await watcher.StartAsync();
        return (watcher, await StartTargetAsync());
    }

    private static async Task StopAsync(Watcher watcher)
    {
        watcher.Stop();
        await watcher.Completion.WithinTimeout();
    }

    /// <summary>A worker that monitors other processes with the protected <c>Monitor(target, toMessage)</c>.</summary>
    private sealed class Watcher : Worker<Watcher.Message>
    {
        private int _toMessageCalls;

        public abstract record Message;

        public EventLog Log { get; } = new();

        public ConcurrentQueue<ProcessDown> Downs { get; } = new();

        public int ToMessageCalls => Volatile.Read(ref _toMessageCalls);

        public Task<MonitorRef> WatchAsync(IProcess target) =>
            CallAsync<MonitorRef>(reply => new Watch(target, reply), Timeout.InfiniteTimeSpan).WithinTimeout();

        public Task<bool> UnwatchAsync(MonitorRef monitor) =>
            CallAsync<bool>(reply => new Unwatch(monitor, reply), Timeout.InfiniteTimeSpan).WithinTimeout();

        /// <summary>Parks the loop (signalling <paramref name="entered"/>) until <paramref name="release"/>, then demonitors: whatever was queued meanwhile is already in the mailbox.</summary>
        public void DemonitorWhenReleased(MonitorRef monitor, TaskCompletionSource entered, Task release) =>
            Tell(new DemonitorLater(monitor, entered, release)).Should().BeTrue();

        protected override async ValueTask HandleAsync(Message message, CancellationToken cancellationToken)
        {
            switch (message)
            {
                case Watch watch:
                    watch.Reply.Send(Monitor(watch.Target, down =>
                    {
                        Interlocked.Increment(ref _toMessageCalls);
                        return new Down(down);
                    }));
                    break;
                case Unwatch unwatch:
                    Demonitor(unwatch.Ref);
                    unwatch.Reply.Send(true);
                    break;
                case DemonitorLater later:
                    later.Entered.TrySetResult();
                    await later.Release;
                    Demonitor(later.Ref);
                    Log.Add("demonitored");
                    break;
                case Down down:
                    Downs.Enqueue(down.Notice);
                    Log.Add($"down:{down.Notice.Process.Name}:{down.Notice.Reason.Kind.ToString().ToLowerInvariant()}");
                    break;
            }
        }

        private sealed record Watch(IProcess Target, Reply<MonitorRef> Reply) : Message;

        private sealed record Unwatch(MonitorRef Ref, Reply<bool> Reply) : Message;

        private sealed record DemonitorLater(MonitorRef Ref, TaskCompletionSource Entered, Task Release) : Message;

        private sealed record Down(ProcessDown Notice) : Message;
    }
}
