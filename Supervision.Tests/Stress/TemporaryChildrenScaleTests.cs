using Supervision.Tests.Support;

namespace Supervision.Tests.Stress;

public class TemporaryChildrenScaleTests
{
    // Only against a hang: each wait fails the test after this bound, no duration is asserted.
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60);

    // many clients starting and terminating temporary children of one dynamic supervisor at once
    [Test]
    public async Task five_thousand_temporary_children_started_and_terminated_from_several_tasks()
    {
        const int tasks = 5;
        const int perTask = 1000;
        var incarnations = new Incarnations();
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = TestNames.Unique("churn") });
        await using var guard = sup.Guard();

        var workers = Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            var mine = new List<IProcess>(perTask);
            for (var i = 0; i < perTask; i++)
            {
                mine.Add((await sup.StartChildAsync(incarnations.Spec($"t{t}-{i}", RestartType.Temporary)))!);

                // Terminate as we go, so starts and terminations of the different tasks interleave.
                if (i % 2 == 1)
                {
                    await sup.TerminateChildAsync(mine[i - 1]);
                }
            }

            for (var i = 1; i < perTask; i += 2)
            {
                await sup.TerminateChildAsync(mine[i]);
            }

            return mine;
        }));
        var started = (await Task.WhenAll(workers).WaitAsync(s_bound)).SelectMany(m => m).ToList();

        started.Should().HaveCount(tasks * perTask);
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
        (await sup.WhichChildrenAsync()).Should().BeEmpty();
        started.Should().OnlyContain(p => p.HasExited && p.Completion.Result == ExitReason.Shutdown);
        incarnations.Started.Should().Be(tasks * perTask);
    }

    // supervisor_SUITE simple_one_for_one_scale_many_temporary_children (completion only, no ratio)
    [Test]
    public async Task ten_thousand_temporary_children_start_and_terminate()
    {
        const int count = 10_000;
        var incarnations = new Incarnations();
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = TestNames.Unique("scale") });
        await using var guard = sup.Guard();

        var started = await Task.WhenAll(Enumerable.Range(0, count).Select(i => sup.StartChildAsync(incarnations.Spec($"t{i}", RestartType.Temporary)))).WaitAsync(s_bound);
        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(count, count, 0, count));
        await Task.WhenAll(started.Select(p => sup.TerminateChildAsync(p!))).WaitAsync(s_bound);

        (await sup.CountChildrenAsync()).Should().Be(new ChildCounts(0, 0, 0, 0));
        started.Should().OnlyContain(p => p!.HasExited);
    }

    [Test]
    public async Task stopping_a_supervisor_of_ten_thousand_temporary_children_stops_them_all()
    {
        const int count = 10_000;
        var incarnations = new Incarnations();
        var sup = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = TestNames.Unique("scale") });
        await using var guard = sup.Guard();
        var started = await Task.WhenAll(Enumerable.Range(0, count).Select(i => sup.StartChildAsync(incarnations.Spec($"t{i}", RestartType.Temporary)))).WaitAsync(s_bound);

        sup.Stop();

        (await sup.Completion.WaitAsync(s_bound)).Should().Be(ExitReason.Shutdown);
        started.Should().OnlyContain(p => p!.HasExited && p.Completion.Result == ExitReason.Shutdown);
    }
}
