using Supervision.Tests.Support;

namespace Supervision.Tests.Stress;

public class CrashStormTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    // thousands of children crash and restart at once: no deadlock, no leaked worker, no unobserved task exception
    [Test]
    public async Task two_thousand_dynamic_children_crash_and_restart_concurrently()
    {
        const int count = 2000;
        using var unobserved = new UnobservedExceptions();
        var incarnations = new Incarnations();
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions
        {
            Name = TestNames.Unique("storm"),
            MaxRestarts = 100_000,
        });
        await using (sup.Guard())
        {
            var first = await Task.WhenAll(Enumerable.Range(0, count).Select(i => sup.StartChildAsync(incarnations.Spec($"c{i}")))).WaitAsync(s_wait);
            first.Should().OnlyContain(p => p != null);

            await CrashAllConcurrentlyAsync(first.Cast<TestChild>().ToList(), sup);
            await incarnations.WaitForStartsAsync(2 * count, s_wait);

            (await Task.WhenAll(first.Select(p => p!.Completion)).WaitAsync(s_wait)).Should().OnlyContain(r => r.Kind == ExitKind.Failure);
            (await sup.CountChildrenAsync().WaitAsync(s_wait)).Should().Be(new ChildCounts(count, count, 0, count));

            sup.Stop();
            (await sup.Completion.WaitAsync(s_wait)).Should().Be(ExitReason.Shutdown);
        }

        var all = incarnations.All;
        all.Should().HaveCount(2 * count);
        all.Should().OnlyContain(p => p.Completion.IsCompleted, "every process ever started has exited");
        all.Select(p => p.Id).Should().OnlyHaveUniqueItems();
        unobserved.AssertNone();
    }

    // the same storm under a static one_for_one supervisor
    [Test]
    public async Task five_hundred_static_one_for_one_children_crash_and_restart_concurrently()
    {
        const int count = 500;
        using var unobserved = new UnobservedExceptions();
        var incarnations = new Incarnations();
        var specs = Enumerable.Range(0, count).Select(i => incarnations.Spec($"c{i}")).ToList();
        var sup = await Supervisor.StartAsync(
            new SupervisorOptions { Name = TestNames.Unique("storm"), MaxRestarts = 100_000 },
            specs).WaitAsync(s_wait);
        await using (sup.Guard())
        {
            var first = incarnations.All.ToList();
            first.Should().HaveCount(count);

            await CrashAllConcurrentlyAsync(first, sup);
            await incarnations.WaitForStartsAsync(2 * count, s_wait);

            (await Task.WhenAll(first.Select(p => p.Completion)).WaitAsync(s_wait)).Should().OnlyContain(r => r.Kind == ExitKind.Failure);
            (await sup.CountChildrenAsync().WaitAsync(s_wait)).Should().Be(new ChildCounts(count, count, 0, count));
            (await sup.WhichChildrenAsync()).Should().OnlyContain(c => c.State == ChildState.Running && c.RestartCount == 1);

            sup.Stop();
            (await sup.Completion.WaitAsync(s_wait)).Should().Be(ExitReason.Shutdown);
        }

        var all = incarnations.All;
        all.Should().HaveCount(2 * count);
        all.Should().OnlyContain(p => p.Completion.IsCompleted, "every process ever started has exited");
        unobserved.AssertNone();
    }

    /// <summary>Crashes every child from several tasks at once, while other tasks keep asking the supervisor questions.</summary>
    private static async Task CrashAllConcurrentlyAsync(IReadOnlyList<TestChild> children, ISupervisor supervisor)
    {
        const int crashers = 8;
        var crashes = Enumerable.Range(0, crashers).Select(t => Task.Run(() =>
        {
            for (var i = t; i < children.Count; i += crashers)
            {
                children[i].Tell(new TestChild.Crash()).Should().BeTrue();
            }
        }));
        var questions = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                (await supervisor.CountChildrenAsync()).Specs.Should().Be(children.Count);
            }
        }));
        await Task.WhenAll(crashes.Concat(questions)).WaitAsync(s_wait);
    }
}
