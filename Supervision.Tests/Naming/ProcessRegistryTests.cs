using System.Collections.Concurrent;
using Supervision.Tests.Support;
using Supervision.Tests.Workers;

namespace Supervision.Tests.Naming;

public class ProcessRegistryTests
{
    [Test]
    public async Task A_registered_name_is_found_with_WhereIs()
    {
        var registry = new ProcessRegistry();
        var process = await StartAsync("a");

        registry.Register("chat", process);

        registry.WhereIs("chat").Should().BeSameAs(process);
        registry.WhereIs("other").Should().BeNull();
        registry.Names.Should().Equal("chat");
        registry.Count.Should().Be(1);
        await StopAsync(process);
    }

    [Test]
    public async Task Registering_a_taken_name_throws_NameTakenException_naming_the_holder()
    {
        var registry = new ProcessRegistry();
        var holder = await StartAsync("holder");
        var other = await StartAsync("other");
        registry.Register("chat", holder);

        var register = () => registry.Register("chat", other);

        var taken = register.Should().Throw<NameTakenException>().Which;
        taken.RegisteredName.Should().Be("chat");
        taken.Holder.Should().BeSameAs(holder);
        taken.Message.Should().Contain(holder.Id.ToString());
        registry.TryRegister("chat", other).Should().BeFalse();
        registry.WhereIs("chat").Should().BeSameAs(holder);
        await StopAsync(holder, other);
    }

    [TestCase("stop")]
    [TestCase("crash")]
    [TestCase("kill")]
    public async Task A_name_is_released_by_the_time_its_holders_Completion_completes(string how)
    {
        var registry = new ProcessRegistry();
        var holder = await StartAsync("holder");
        registry.Register("chat", holder);

        switch (how)
        {
            case "stop":
                holder.Stop();
                break;
            case "crash":
                holder.Tell(new TestChild.Crash());
                break;
            default:
                holder.Kill();
                break;
        }

        await holder.Completion.WithinTimeout();

        registry.WhereIs("chat").Should().BeNull();
        registry.Names.Should().BeEmpty();
        registry.Count.Should().Be(0);
    }

    [Test]
    public async Task A_released_name_can_be_registered_by_another_process()
    {
        var registry = new ProcessRegistry();
        var first = await StartAsync("first");
        var second = await StartAsync("second");
        registry.Register("chat", first);
        await StopAsync(first);

        registry.Register("chat", second);

        registry.WhereIs("chat").Should().BeSameAs(second);
        await StopAsync(second);
    }

    // The window between HasExited and the release: the entry is still there but the holder is dead.
    [Test]
    public async Task A_name_still_held_by_an_exited_process_is_taken_over()
    {
        var registry = new ProcessRegistry();
        var carrier = await StartAsync("carrier");
        var stale = new ExitedButNotReleasedProcess(carrier);
        var successor = await StartAsync("successor");
        registry.Register("chat", stale);
        stale.Exited = true;

        registry.WhereIs("chat").Should().BeNull();
        registry.TryRegister("chat", successor).Should().BeTrue();

        registry.WhereIs("chat").Should().BeSameAs(successor);
        registry.Count.Should().Be(1);
        await StopAsync(carrier);
        registry.WhereIs("chat").Should().BeSameAs(successor, "the stale holder's release must not remove the successor's name");
        await StopAsync(successor);
    }

    [Test]
    public async Task Only_the_holder_can_unregister_its_name()
    {
        var registry = new ProcessRegistry();
        var holder = await StartAsync("holder");
        var other = await StartAsync("other");
        registry.Register("chat", holder);

        registry.Unregister("chat", other).Should().BeFalse();
        registry.WhereIs("chat").Should().BeSameAs(holder);
        registry.Unregister("chat", holder).Should().BeTrue();
        registry.WhereIs("chat").Should().BeNull();
        registry.Unregister("chat", holder).Should().BeFalse();
        await StopAsync(holder, other);
    }

    [Test]
    public async Task A_holder_that_unregistered_does_not_release_the_name_when_it_later_exits()
    {
        var registry = new ProcessRegistry();
        var first = await StartAsync("first");
        var second = await StartAsync("second");
        registry.Register("chat", first);
        registry.Unregister("chat", first).Should().BeTrue();
        registry.Register("chat", second);

        await StopAsync(first);

        registry.WhereIs("chat").Should().BeSameAs(second);
        await StopAsync(second);
    }

    [Test]
    public async Task A_case_insensitive_comparer_makes_names_that_differ_in_case_the_same()
    {
        var registry = new ProcessRegistry(StringComparer.OrdinalIgnoreCase);
        var holder = await StartAsync("holder");
        var other = await StartAsync("other");
        registry.Register("Chat", holder);

        registry.WhereIs("CHAT").Should().BeSameAs(holder);
        registry.TryRegister("chat", other).Should().BeFalse();
        registry.Unregister("cHaT", holder).Should().BeTrue();
        registry.Count.Should().Be(0);
        await StopAsync(holder, other);
    }

    [Test]
    public async Task Names_are_case_sensitive_by_default()
    {
        var registry = new ProcessRegistry();
        var upper = await StartAsync("upper");
        var lower = await StartAsync("lower");

        registry.TryRegister("Chat", upper).Should().BeTrue();
        registry.TryRegister("chat", lower).Should().BeTrue();

        registry.WhereIs("Chat").Should().BeSameAs(upper);
        registry.WhereIs("chat").Should().BeSameAs(lower);
        await StopAsync(upper, lower);
    }

    [Test]
    public async Task Of_many_concurrent_registrations_of_one_name_exactly_one_wins()
    {
        const int rounds = 20;
        const int contenders = 16;
        var registry = new ProcessRegistry();
        var processes = new List<TestChild>();
        for (var i = 0; i < contenders; i++)
        {
            processes.Add(await StartAsync($"p{i}"));
        }

        for (var round = 0; round < rounds; round++)
        {
            var name = $"name-{round}";
            var go = Signals.New();
            var winners = new ConcurrentBag<IProcess>();
            var attempts = processes.Select(process => Task.Run(async () =>
            {
                await go.Task;
                if (registry.TryRegister(name, process))
                {
                    winners.Add(process);
                }
            })).ToArray();

            go.SetResult();
            await Task.WhenAll(attempts).WithinTimeout();

            winners.Should().ContainSingle($"round {round}");
            registry.WhereIs(name).Should().BeSameAs(winners.Single());
        }

        await StopAsync([.. processes]);
    }

    [Test]
    public async Task A_restarted_child_can_register_its_name_again_from_its_init()
    {
        const int crashes = 3;
        var log = new EventLog();
        var registry = new ProcessRegistry();
        var incarnations = new ConcurrentQueue<SelfRegisteringWorker>();
        var spec = new ChildSpec
        {
            Id = "service",
            Start = async cancellationToken =>
            {
                var worker = new SelfRegisteringWorker(registry, "service", log);
                await worker.StartAsync(cancellationToken);
                incarnations.Enqueue(worker);
                log.Add("incarnation");
                return worker;
            },
        };
        var supervisor = await Supervisor.StartAsync(new SupervisorOptions { Strategy = SupervisionStrategy.OneForOne }, [spec]);

        for (var crash = 1; crash <= crashes; crash++)
        {
            var current = incarnations.Last();
            registry.WhereIs("service").Should().BeSameAs(current);
            current.Tell(new SelfRegisteringWorker.Crash()).Should().BeTrue();
            await current.Completion.WithinTimeout();

            await log.WaitForAsync("incarnation", crash + 1);
            var next = incarnations.Last();
            next.Should().NotBeSameAs(current);
            registry.WhereIs("service").Should().BeSameAs(next);
        }

        incarnations.Should().HaveCount(crashes + 1);
        log.Events.Count(e => e.StartsWith("registered:", StringComparison.Ordinal)).Should().Be(crashes + 1);
        log.Events.Should().NotContain(e => e.StartsWith("register_failed", StringComparison.Ordinal));
        supervisor.HasExited.Should().BeFalse();
        supervisor.Stop();
        (await supervisor.Completion.WithinTimeout()).Should().Be(ExitReason.Shutdown);
        registry.WhereIs("service").Should().BeNull();
    }

    // Documented on TryRegister: "ProcessExitedException: process has already exited".
    [Test]
    public async Task Registering_a_process_that_has_already_exited_throws_ProcessExitedException()
    {
        var registry = new ProcessRegistry();
        var dead = await StartAsync("dead");
        await StopAsync(dead);

        var register = () => registry.TryRegister("chat", dead);

        register.Should().Throw<ProcessExitedException>();
        registry.WhereIs("chat").Should().BeNull();
        registry.Count.Should().Be(0);
    }

    [Test]
    public async Task An_empty_name_is_rejected()
    {
        var registry = new ProcessRegistry();
        var process = await StartAsync("p");

        var register = () => registry.TryRegister(string.Empty, process);

        register.Should().Throw<ArgumentException>();
        await StopAsync(process);
    }

    private static async Task<TestChild> StartAsync(string id)
    {
        var child = new TestChild(id, new EventLog());
        await child.StartAsync();
        return child;
    }

    private static async Task StopAsync(params IProcess[] processes)
    {
        foreach (var process in processes)
        {
            process.Stop();
            await process.Completion.WithinTimeout();
        }
    }

    /// <summary>A worker that registers its own name in init, as a restarted server would.</summary>
    private sealed class SelfRegisteringWorker(ProcessRegistry registry, string name, EventLog log) : Worker<SelfRegisteringWorker.Crash>
    {
        public sealed record Crash;

        protected override ValueTask InitAsync(CancellationToken cancellationToken)
        {
            try
            {
                registry.Register(name, this);
            }
            catch (NameTakenException)
            {
                log.Add($"register_failed:{Id}");
                throw;
            }

            log.Add($"registered:{Id}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask HandleAsync(Crash message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("crash on request");
    }

    /// <summary>
    /// A process whose exit is visible through <see cref="HasExited"/> before its monitors have fired:
    /// the moment in which a registry still holds a dead process's name.
    /// </summary>
    private sealed class ExitedButNotReleasedProcess(IProcess carrier) : IProcess
    {
        public bool Exited { get; set; }

        public ProcessId Id { get; } = new(long.MaxValue);

        public string Name => "stale";

        public Task<ExitReason> Completion => carrier.Completion;

        public bool HasExited => Exited;

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public void Stop(ExitReason? reason = null)
        {
        }

        public void Kill()
        {
        }

        // Borrows a live process's monitor: it fires only when the carrier exits.
        public MonitorRef Monitor(Action<ProcessDown> onDown) => carrier.Monitor(onDown);
    }
}
