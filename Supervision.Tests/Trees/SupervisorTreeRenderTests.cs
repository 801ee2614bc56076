using Supervision.Tests.Support;

namespace Supervision.Tests.Trees;

/// <summary>The operator's rendering of a supervision tree.</summary>
public class SupervisorTreeRenderTests
{
    private readonly ProcessCleanup _cleanup = new();

    [TearDown]
    public Task TearDown() => _cleanup.StopAllAsync();

    // Introspection (which_children, recursively): each child's id, type, state, restart type and count, with nested indentation.
    [Test]
    public async Task render_shows_every_child_with_its_state_nested_by_level()
    {
        var children = new TestChildren(new EventLog());
        var root = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { Name = "root" },
            [
                ChildSpec.ForSupervisor(
                    "mid",
                    new SupervisorOptions { Name = "mid", Strategy = SupervisionStrategy.RestForOne },
                    [
                        children.Spec("leaf1"),
                        ChildSpec.ForSupervisor("low", new SupervisorOptions { Name = "low" }, [children.Spec("deep")]),
                    ]),
                children.Spec("t", RestartType.Transient),
            ]));
        var mid = (Supervisor)(await root.WhichChildrenAsync())[0].Process!;

        await children.ExitAsync("t", ExitReason.Normal);
        await root.WhichChildrenAsync();
        await children.CrashAsync("leaf1");
        await children.Log.WaitForAsync("start:deep", 2);
        await mid.WhichChildrenAsync();

        var text = await SupervisorTree.RenderAsync(root);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

        lines.Should().HaveCount(6, text);
        lines[0].Should().Be($"root (one_for_one) {root.Id}");
        lines[1].Should().StartWith("├── mid [supervisor] running permanent restarts=0 <0.").And.EndWith("(rest_for_one)");
        lines[2].Should().StartWith("│   ├── leaf1 [worker] running permanent restarts=1 <0.");
        lines[3].Should().StartWith("│   └── low [supervisor] running permanent restarts=1 <0.").And.EndWith("(one_for_one)");
        lines[4].Should().StartWith("│       └── deep [worker] running permanent restarts=0 <0.");
        lines[5].Should().Be("└── t [worker] terminated transient restarts=0");
        lines[2].Should().EndWith(children["leaf1"].Id.ToString());
        lines[4].Should().EndWith(children["deep"].Id.ToString());

        root.Stop();
        (await root.Completion.WaitAsync(EventLog.DefaultWait)).Should().Be(ExitReason.Shutdown);
    }

    [Test]
    public async Task render_summary_counts_a_dynamic_supervisors_children_in_one_line()
    {
        var children = new TestChildren(new EventLog());
        var root = _cleanup.Track(await Supervisor.StartAsync(
            new SupervisorOptions { Name = "root" },
            [children.Spec("fixed"), ChildSpec.ForDynamicSupervisor("pool", new DynamicSupervisorOptions { Name = "pool" })]));
        var pool = (DynamicSupervisor)(await root.WhichChildrenAsync())[1].Process!;
        for (var i = 0; i < 50; i++)
        {
            await pool.StartChildAsync(children.Spec($"w{i}", RestartType.Temporary));
        }

        var summary = await SupervisorTree.RenderSummaryAsync(root);
        var full = await SupervisorTree.RenderAsync(root);

        var lines = summary.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(4);
        lines[1].Should().StartWith("├── fixed [worker] running permanent");
        lines[2].Should().StartWith("└── pool [supervisor] running permanent").And.EndWith("(dynamic)");
        lines[3].Should().Be("    └── 50 children: 50 running (50 workers, 0 supervisors)");
        full.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(53, "the full rendering still lists every child");
    }
}
