using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Tests.Support;

namespace Supervision.Tests.Hosting;

/// <summary>
/// A supervision tree run by a real Generic Host (<c>AddSupervisionTree</c>): started with the host,
/// stopped with it (killed at its shutdown timeout), and stopping the application when the root exits on its own.
/// </summary>
[NonParallelizable] // Environment.ExitCode is process-global.
public class SupervisionTreeHostedServiceTests
{
    private static readonly TimeSpan Wait = EventLog.DefaultWait;

    private TestHosts _hosts = null!;
    private int _savedExitCode;

    [SetUp]
    public void SetUp()
    {
        _hosts = new TestHosts();
        _savedExitCode = Environment.ExitCode;
        Environment.ExitCode = 0;
    }

    [TearDown]
    public async Task TearDown()
    {
        await _hosts.DisposeAsync();
        Environment.ExitCode = _savedExitCode;
    }

    [Test]
    public async Task the_root_starts_with_the_host_and_is_resolvable()
    {
        var children = new TestChildren(new EventLog());
        var host = _hosts.Build(services => services.AddSupervisionTree(
            async (_, ct) => await Supervisor.StartAsync(new SupervisorOptions { Name = "app" }, [children.Spec("a"), children.Spec("b")], ct)));
        var tree = host.Tree();
        tree.Invoking(t => t.Root).Should().Throw<InvalidOperationException>("the host has not started the tree yet");
        tree.IsRunning.Should().BeFalse();

        await host.StartAsync().WaitAsync(Wait);

        children.Log.Events.Should().Equal("start:a", "start:b");
        tree.IsRunning.Should().BeTrue();
        tree.IsStopping.Should().BeFalse();
        tree.Root.Name.Should().Be("app");
        (await ((Supervisor)tree.Root).CountChildrenAsync()).Active.Should().Be(2);
        tree.Completion.IsCompleted.Should().BeFalse();
    }

    [Test]
    public async Task stopping_the_host_stops_the_tree_gracefully_newest_child_first()
    {
        var children = new TestChildren(new EventLog());
        var host = _hosts.Build(services => services.AddSupervisionTree(
            async (_, ct) => await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a"), children.Spec("b")], ct)));
        await host.StartAsync().WaitAsync(Wait);
        var tree = host.Tree();

        await host.StopAsync().WaitAsync(Wait);

        children.Log.Events.Should().EndWith(["stop:b:shutdown", "stop:a:shutdown"]);
        (await tree.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        tree.IsRunning.Should().BeFalse();
        tree.IsStopping.Should().BeTrue();
        Environment.ExitCode.Should().Be(0);
        host.Logs().GetSnapshot().Should().NotContain(r => r.Level >= LogLevel.Warning);
    }

    [Test]
    public async Task a_graceful_stop_that_overruns_the_shutdown_timeout_kills_the_tree_and_the_host_stop_returns()
    {
        var children = new TestChildren(new EventLog());

        // A child that ignores its stop, under a supervisor that waits for it forever: only a kill ends the tree.
        var host = _hosts.Build(
            services => services.AddSupervisionTree(
                async (_, ct) => await Supervisor.StartAsync(new SupervisorOptions { Name = "stubborn" }, [children.Spec("hang", shutdown: ShutdownPolicy.Infinity, ignoreStop: true)], ct)),
            shutdownTimeout: TimeSpan.FromMilliseconds(200));
        await host.StartAsync().WaitAsync(Wait);
        var tree = host.Tree();
        var hang = children["hang"];

        await host.StopAsync().WaitAsync(Wait);

        tree.Root.HasExited.Should().BeTrue("the stop returns only once the killed tree has exited");
        (await tree.Completion.WaitAsync(Wait)).Should().Be(ExitReason.Killed);
        hang.HasExited.Should().BeTrue("a kill takes the subtree with it");
        (await hang.Completion).Should().Be(ExitReason.Killed);
        host.Logs().GetSnapshot().Should().ContainSingle(r => r.Id.Id == LogEvents.StopOverran)
            .Which.Level.Should().Be(LogLevel.Warning);
    }

    [Test]
    public async Task a_root_that_crashes_while_the_host_stops_it_sets_exit_code_one()
    {
        var host = _hosts.Build(services => services.AddSupervisionTree(async (_, ct) =>
        {
            var root = new CrashingOnStop();
            await root.StartAsync(ct);
            return root;
        }));
        await host.StartAsync().WaitAsync(Wait);

        await host.StopAsync().WaitAsync(Wait);

        (await host.Tree().Completion.WaitAsync(Wait)).Kind.Should().Be(ExitKind.Failure);
        Environment.ExitCode.Should().Be(1, "the exit is judged before the host's stop returns");
        host.Logs().GetSnapshot().Should().ContainSingle(r => r.Id.Id == LogEvents.RootExited).Which.Level.Should().Be(LogLevel.Critical);
    }

    [Test]
    public async Task a_root_killed_at_the_shutdown_timeout_leaves_the_exit_code_alone()
    {
        var children = new TestChildren(new EventLog());
        var host = _hosts.Build(
            services => services.AddSupervisionTree(
                async (_, ct) => await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("hang", shutdown: ShutdownPolicy.Infinity, ignoreStop: true)], ct)),
            shutdownTimeout: TimeSpan.FromMilliseconds(100));
        await host.StartAsync().WaitAsync(Wait);

        await host.StopAsync().WaitAsync(Wait);

        Environment.ExitCode.Should().Be(0);
        host.Logs().GetSnapshot().Should().NotContain(r => r.Id.Id == LogEvents.RootExited);
    }

    [Test]
    public async Task a_root_that_gives_up_stops_the_application_with_exit_code_one_and_a_critical_log()
    {
        var children = new TestChildren(new EventLog());
        var host = _hosts.Build(services => services.AddSupervisionTree(
            async (_, ct) => await Supervisor.StartAsync(new SupervisorOptions { Name = "fragile", MaxRestarts = 0 }, [children.Spec("a"), children.Spec("b")], ct)));
        await host.StartAsync().WaitAsync(Wait);
        var tree = host.Tree();

        await children.CrashAsync("a");
        await host.WaitForShutdownAsync(Wait);

        (await tree.Completion.WaitAsync(Wait)).IsRestartIntensityExceeded.Should().BeTrue();
        tree.IsStopping.Should().BeTrue();
        Environment.ExitCode.Should().Be(1);
        var critical = host.Logs().GetSnapshot().Should().ContainSingle(r => r.Id.Id == LogEvents.RootExited).Subject;
        critical.Level.Should().Be(LogLevel.Critical);
        critical.Message.Should().Contain("fragile");
        children.Log.Events.Should().EndWith("stop:b:shutdown");
    }

    [Test]
    public async Task a_root_that_crashes_stops_the_application_with_exit_code_one()
    {
        var children = new TestChildren(new EventLog());
        var host = _hosts.Build(services => services.AddSupervisionTree(
            async (_, ct) => await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a")], ct)));
        await host.StartAsync().WaitAsync(Wait);

        host.Tree().Root.Stop(ExitReason.Failure(new InvalidOperationException("root crashed")));
        await host.WaitForShutdownAsync(Wait);

        (await host.Tree().Completion.WaitAsync(Wait)).Kind.Should().Be(ExitKind.Failure);
        Environment.ExitCode.Should().Be(1);
        host.Logs().GetSnapshot().Should().ContainSingle(r => r.Id.Id == LogEvents.RootExited).Which.Level.Should().Be(LogLevel.Critical);
    }

    [Test]
    public async Task a_root_that_stops_normally_on_its_own_stops_the_application_with_exit_code_zero()
    {
        var children = new TestChildren(new EventLog());
        var host = _hosts.Build(services => services.AddSupervisionTree(
            async (_, ct) => await Supervisor.StartAsync(
                new SupervisorOptions { AutoShutdown = AutoShutdown.AnySignificant },
                [children.Spec("w"), children.Spec("job", RestartType.Temporary, significant: true)],
                ct)));
        await host.StartAsync().WaitAsync(Wait);

        await children.ExitAsync("job", ExitReason.Normal);
        await host.WaitForShutdownAsync(Wait);

        (await host.Tree().Completion.WaitAsync(Wait)).Should().Be(ExitReason.Shutdown);
        Environment.ExitCode.Should().Be(0);
        var logs = host.Logs().GetSnapshot();
        logs.Should().NotContain(r => r.Level >= LogLevel.Warning);
        logs.Should().ContainSingle(r => r.Id.Id == LogEvents.RootStopped).Which.Level.Should().Be(LogLevel.Information);
        children.Log.Events.Should().EndWith("stop:w:shutdown");
    }

    [Test]
    public async Task a_failed_start_fails_the_host_start_with_a_critical_log()
    {
        var children = new TestChildren(new EventLog());
        children.FailNextStarts("b", 1);
        var host = _hosts.Build(services => services.AddSupervisionTree(
            async (_, ct) => await Supervisor.StartAsync(new SupervisorOptions(), [children.Spec("a"), children.Spec("b")], ct)));

        await host.Invoking(h => h.StartAsync()).Should().ThrowAsync<ChildStartException>();

        children.Log.Events.Should().Equal("start:a", "start_failed:b", "stop:a:shutdown");
        var tree = host.Tree();
        tree.Invoking(t => t.Root).Should().Throw<InvalidOperationException>();
        tree.IsRunning.Should().BeFalse();
        (await tree.Completion.WaitAsync(Wait)).Exception.Should().BeOfType<ChildStartException>();
        host.Logs().GetSnapshot().Should().ContainSingle(r => r.Id.Id == LogEvents.RootExited).Which.Level.Should().Be(LogLevel.Critical);
    }

    [Test]
    public async Task two_trees_start_in_registration_order_and_stop_in_reverse()
    {
        var children = new TestChildren(new EventLog());
        var host = _hosts.Build(services => services
            .AddSupervisionTree(async (_, ct) => await Supervisor.StartAsync(new SupervisorOptions { Name = "first" }, [children.Spec("first")], ct))
            .AddSupervisionTree(async (_, ct) => await Supervisor.StartAsync(new SupervisorOptions { Name = "second" }, [children.Spec("second")], ct)));

        await host.StartAsync().WaitAsync(Wait);
        children.Log.Events.Should().Equal("start:first", "start:second");
        host.Services.GetServices<ISupervisionTree>().Select(t => t.Root.Name).Should().Equal("first", "second");

        await host.StopAsync().WaitAsync(Wait);

        children.Log.Events.Should().Equal("start:first", "start:second", "stop:second:shutdown", "stop:first:shutdown");
    }

    [Test]
    public async Task the_root_is_started_with_the_service_provider()
    {
        var children = new TestChildren(new EventLog());
        var host = _hosts.Build(services => services
            .AddSingleton(new SupervisorOptions { Name = "from-di" })
            .AddSupervisionTree(async (provider, ct) => await Supervisor.StartAsync(provider.GetRequiredService<SupervisorOptions>(), [children.Spec("a")], ct)));

        await host.StartAsync().WaitAsync(Wait);

        host.Tree().Root.Name.Should().Be("from-di");
    }

    /// <summary>A root whose stop callback throws: it exits with the crash when stopped.</summary>
    private sealed class CrashingOnStop : Worker<int>
    {
        protected override ValueTask HandleAsync(int message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        protected override ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("terminate crashed");
    }
}
