namespace Supervision.Tests.Monitoring;

/// <summary>The monitor set of one process: an array while small, a hash set once large, the same set either way.</summary>
public class MonitorBagTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(8)]
    [TestCase(9)]
    [TestCase(100)]
    public void Holds_exactly_what_was_added_and_not_removed_at_any_size(int count)
    {
        var owner = new MonitorSet();
        var monitors = Enumerable.Range(0, count).Select(_ => new MonitorRef(owner, target: null!, onDown: (Action<ProcessDown>)(_ => { }), state: null)).ToList();
        var bag = default(MonitorBag);
        foreach (var monitor in monitors)
        {
            bag.Add(monitor);
        }

        bag.Count.Should().Be(count);
        bag.Items.Should().BeEquivalentTo(monitors);

        var removed = monitors.Where((_, i) => i % 2 == 0).ToList();
        foreach (var monitor in removed)
        {
            bag.Remove(monitor);
        }

        bag.Remove(new MonitorRef(owner, target: null!, onDown: (Action<ProcessDown>)(_ => { }), state: null));

        bag.Count.Should().Be(count - removed.Count);
        bag.Items.Should().BeEquivalentTo(monitors.Except(removed));
    }
}
