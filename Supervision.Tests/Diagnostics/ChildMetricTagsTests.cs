namespace Supervision.Tests.Diagnostics;

/// <summary>The metrics' child tag stays bounded whatever ids a supervisor's children carry.</summary>
public class ChildMetricTagsTests
{
    [Test]
    public void a_child_id_is_its_own_tag_value()
    {
        new ChildMetricTags().For("acceptor").Should().Be(new KeyValuePair<string, object?>("child", "acceptor"));
    }

    [Test]
    public void past_the_limit_new_ids_share_one_value_and_known_ids_keep_theirs()
    {
        var tags = new ChildMetricTags();
        for (var i = 0; i < ChildMetricTags.MaxDistinct; i++)
        {
            tags.For($"room-{i}").Value.Should().Be($"room-{i}");
        }

        tags.For("room-new").Value.Should().Be(ChildMetricTags.Other);
        tags.For("room-0").Value.Should().Be("room-0");
    }
}
