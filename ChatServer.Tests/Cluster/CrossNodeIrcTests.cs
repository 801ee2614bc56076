using ChatServer.Tests.Support;

namespace ChatServer.Tests.Cluster;

/// <summary>The IRC port of one node and the line port of another are one server: rooms, actions and private messages cross both.</summary>
[TestFixture]
public sealed class CrossNodeIrcTests
{
    [Test]
    public async Task An_irc_user_on_one_node_and_a_line_user_on_the_other_talk_in_a_room_and_in_private()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectIrcAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");

        await alice.SendAsync("JOIN #tea");
        await alice.ExpectAsync("366");
        await bob.SendAsync("/join #tea");
        (await alice.ExpectAsync("JOIN")).SourceNick.Should().Be("bob");

        await alice.SendAsync("PRIVMSG #tea :\u0002hello\u0002 from irc");
        await bob.ExpectAsync("[#tea] <alice> hello from irc");
        await bob.SendAsync("/me pours tea");
        (await alice.ExpectAsync("PRIVMSG")).Params.Should().Equal("#tea", "\u0001ACTION pours tea\u0001");

        await alice.SendAsync("PRIVMSG bob :psst");
        await bob.ExpectAsync("[pm] <alice> psst");
        await bob.SendAsync("/msg alice hi");
        (await alice.ExpectAsync("PRIVMSG")).Params.Should().Equal("alice", "hi");
    }
}
