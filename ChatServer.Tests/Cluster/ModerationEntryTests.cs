using ChatServer.Chat;
using ChatServer.Cluster;

namespace ChatServer.Tests.Cluster;

/// <summary>
/// Moderation entries and state as read from Redis: checked like every entry (anything may have written them),
/// so a room never applies a change it would have refused as a request.
/// </summary>
public class ModerationEntryTests
{
    private const string Base = "\"v\":1,\"o\":\"n1#1\",\"q\":1,\"m\":\"n1/a/1\",\"n\":\"alice\",\"at\":1733500000000";

    [Test]
    public void A_mode_entry_round_trips_with_its_changes_and_targets()
    {
        var entry = new ClusterEntry
        {
            Kind = EntryKinds.Mode,
            Nick = "alice",
            Member = "n1/a/1",
            At = 1,
            Modes = [EntryMode.From(new PlannedMode(new ModeChange(true, 'o', "bob"), "n2/b/7")), EntryMode.From(new PlannedMode(new ModeChange(false, 'k', "s3cret"), null))],
        };

        var read = ClusterEntry.Parse(entry.ToJson(), out var problem);

        problem.Should().BeNull();
        read!.Modes!.Select(m => m.ToPlanned()).Should().Equal(new PlannedMode(new ModeChange(true, 'o', "bob"), "n2/b/7"), new PlannedMode(new ModeChange(false, 'k', "s3cret"), null));
    }

    [TestCase("{" + Base + ",\"k\":\"mode\"}", "no valid mode changes")]
    [TestCase("{" + Base + ",\"k\":\"mode\",\"md\":[]}", "no valid mode changes")]
    [TestCase("{" + Base + ",\"k\":\"mode\",\"md\":[{\"a\":true,\"c\":\"o\",\"r\":\"bob\"}]}", "no valid mode changes")]
    [TestCase("{" + Base + ",\"k\":\"mode\",\"md\":[{\"a\":true,\"c\":\"b\",\"r\":\"bob\"}]}", "no valid mode changes")]
    [TestCase("{" + Base + ",\"k\":\"mode\",\"md\":[{\"a\":true,\"c\":\"k\",\"r\":\"a b\"}]}", "no valid mode changes")]
    [TestCase("{" + Base + ",\"k\":\"mode\",\"md\":[{\"a\":true,\"c\":\"l\",\"r\":\"0\"}]}", "no valid mode changes")]
    [TestCase("{" + Base + ",\"k\":\"mode\",\"md\":[{\"a\":true,\"c\":\"z\"}]}", "no valid mode changes")]
    [TestCase("{" + Base + ",\"k\":\"kick\",\"to\":\"bob\"}", "no valid member kicked")]
    [TestCase("{" + Base + ",\"k\":\"invite\",\"to\":\"9x\"}", "no valid invitee")]
    [TestCase("{" + Base + ",\"k\":\"invited\",\"t\":\"lobby\"}", "no valid room")]
    [TestCase("{" + Base + ",\"k\":\"join\",\"st\":9}", "no valid status")]
    public void A_moderation_entry_that_could_not_have_been_a_request_is_skipped(string json, string expected)
    {
        ClusterEntry.Parse(json, out var problem).Should().BeNull();
        problem.Should().Be(expected);
    }

    [Test]
    public void The_state_kept_in_redis_is_read_field_by_field_leaving_out_what_does_not_parse()
    {
        var fields = new Dictionary<string, string>
        {
            ["m"] = "1",
            ["n"] = "0",
            ["k"] = "s3cret",
            ["l"] = "many",
            ["topic"] = "{\"t\":\"the plan\",\"n\":\"alice\",\"at\":1733500000000}",
            ["b:bob!*@*"] = "{\"m\":\"bob!*@*\",\"n\":\"alice\",\"at\":1733500000001}",
            ["b:bad"] = "not json",
            ["o:n1/a/1"] = "1",
            ["v:n1/a/1"] = "1",
            ["o:n1/gone/2"] = "1",
            ["inv:carol"] = "1",
        };

        var state = ModerationState.Read([.. fields], member => member == "n1/a/1");

        state.Modes.Should().Be(RoomModes.Default with { Moderated = true, NoOutside = false, Key = "s3cret" });
        state.Topic.Should().Be(new RoomTopic("the plan", "alice", DateTimeOffset.FromUnixTimeMilliseconds(1733500000000)));
        state.Bans.Should().ContainSingle().Which.Mask.Should().Be("bob!*@*");
        state.Statuses.Select(s => (s.Key, s.Value)).Should().Equal(("n1/a/1", MemberStatus.Op | MemberStatus.Voice));
        state.Invited.Should().Equal("carol");
    }
}
