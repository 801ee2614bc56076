using System.Globalization;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Cluster;

/// <summary>One order for every member on every node; per-sender order; nick races; history that outlives every node; foreign entries skipped.</summary>
[TestFixture]
public sealed class ClusterOrderTests
{
    [Test]
    public async Task Eight_senders_split_over_two_nodes_are_seen_in_one_order_by_members_on_both()
    {
        const int senders = 8, lines = 25;
        await using var cluster = await TestCluster.StartAsync(2, "--flood-rate", "0");
        await using var watcher1 = await cluster.ConnectAsync(0, "watcher1");
        await using var watcher2 = await cluster.ConnectAsync(1, "watcher2");
        await using var clients = new ClientGroup();
        for (var i = 0; i < senders; i++)
        {
            clients.Add(await cluster.ConnectAsync(i % 2, $"s{i}"));
        }

        await Task.WhenAll(clients.Select(async (client, i) =>
        {
            for (var n = 0; n < lines; n++)
            {
                await client.SendAsync(string.Create(CultureInfo.InvariantCulture, $"s{i} line {n}"));
            }
        }));

        var seen1 = await ReadLinesAsync(watcher1, senders * lines);
        var seen2 = await ReadLinesAsync(watcher2, senders * lines);
        seen2.Should().Equal(seen1, "every node delivers the room's lines in the log's order");
        for (var i = 0; i < senders; i++)
        {
            var prefix = $"[#lobby] <s{i}> s{i} line ";
            seen1.Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
                .Select(l => int.Parse(l[prefix.Length..], CultureInfo.InvariantCulture))
                .Should().Equal(Enumerable.Range(0, lines), "s{0}'s lines keep their order", i);
        }
    }

    [Test]
    public async Task Of_ten_clients_racing_for_one_nick_across_nodes_exactly_one_gets_it()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var clients = new ClientGroup();
        for (var i = 0; i < 10; i++)
        {
            clients.Add(await ChatClient.ConnectAsync(cluster.Port(i % 2)));
        }

        await Task.WhenAll(clients.Select(c => c.SendAsync("/nick Racer")));
        var answers = await Task.WhenAll(clients.Select(c => c.ExpectAsync(l => l is "* you are now known as Racer" or "! nick Racer is taken")));
        answers.Count(a => a.StartsWith("* you are now", StringComparison.Ordinal)).Should().Be(1, string.Join(" | ", answers));
    }

    [Test]
    public async Task History_lives_in_Redis_and_is_replayed_on_any_node_after_every_node_restarted()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using (var alice = await cluster.ConnectAsync(0, "alice"))
        {
            await alice.SendAsync("/join #h");
            await alice.ExpectAsync("* you joined #h (0 others here)");
            await alice.SendAsync("first");
            await alice.SendAsync("second");
            await alice.SyncAsync();
        }

        await cluster.KillNodeAsync(0);
        await cluster.KillNodeAsync(1);
        await cluster.StartNodeAsync(0);
        await cluster.StartNodeAsync(1);

        await using var bob = await cluster.ConnectAsync(1, "bob");
        await bob.SendAsync("/join #h");
        await bob.ExpectAsync("* last 2 messages in #h:");
        await bob.ExpectAsync(l => l.EndsWith("<alice> first", StringComparison.Ordinal));
        await bob.ExpectAsync(l => l.EndsWith("<alice> second", StringComparison.Ordinal));
        await bob.ExpectAsync("* end of history of #h");
    }

    [Test]
    public async Task Foreign_and_unknown_version_entries_in_a_room_log_are_skipped_with_a_log_and_chat_goes_on()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await alice.SendAsync("hello");
        await bob.ExpectAsync("[#lobby] <alice> hello");

        const string log = "{chat}:room:#lobby:log";
        (await cluster.Redis.CommandAsync("XADD", log, "*", "foo", "bar")).Should().NotStartWith("(error)");
        (await cluster.Redis.CommandAsync("XADD", log, "*", "e", "{not json")).Should().NotStartWith("(error)");
        (await cluster.Redis.CommandAsync("XADD", log, "*", "e", """{"v":99,"k":"say","n":"x","t":"from the future"}""")).Should().NotStartWith("(error)");
        (await cluster.Redis.CommandAsync("XADD", log, "*", "e", """{"v":1,"k":"say","n":"bad nick!","t":"impostor"}""")).Should().NotStartWith("(error)");
        (await cluster.Redis.CommandAsync("XADD", log, "*", "e", """{"v":1,"k":"say","n":null,"t":"no nick"}""")).Should().NotStartWith("(error)");
        (await cluster.Redis.CommandAsync("XADD", log, "*", "e", """{"v":1,"k":"say","n":"late","t":"after year 9999","at":9999999999999999}""", "s", "0")).Should().NotStartWith("(error)");
        (await cluster.Redis.CommandAsync("XADD", log, "*", "e", """{"v":1,"k":"say","n":"mallory","t":"esc \u001b[2J bidi \u202e here"}""")).Should().NotStartWith("(error)");

        await alice.SendAsync("still here");
        await bob.ExpectAsync("[#lobby] <mallory> esc [2J bidi  here");
        await bob.ExpectAsync("[#lobby] <alice> still here");
        bob.Seen.Should().NotContain(l => l.Contains("impostor", StringComparison.Ordinal) || l.Contains("no nick", StringComparison.Ordinal) || l.Contains("year 9999", StringComparison.Ordinal));

        // A newcomer's room attaches to the same log, bad entries and all.
        await using var carol = await cluster.ConnectAsync(1, "carol");
        await carol.SendAsync("/join #lobby");
        (await carol.CommandAsync("/who")).Should().ContainMatch("* members of #lobby (3):*");
        await cluster.Node(1).ExpectLineAsync(l => l.Contains("skipped entry", StringComparison.Ordinal) && l.Contains("format version 99", StringComparison.Ordinal), "the unknown version logged");
        bob.Seen.Should().NotContain(l => l.Contains("from the future", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_node_that_finds_its_log_trimmed_past_where_it_stopped_tells_its_members_how_many_lines_it_missed()
    {
        await using var cluster = await TestCluster.StartAsync(2, "--flood-rate", "0", "--history", "5", "--cluster-retention", "10");

        // Small stream nodes, so that MAXLEN ~ trims close to the retention.
        (await cluster.Redis.CommandAsync("CONFIG", "SET", "stream-node-max-entries", "2")).Should().Be("OK");
        await using var alice = await cluster.ConnectAsync(0, "alice");
        await using var bob = await cluster.ConnectAsync(1, "bob");
        await alice.SendAsync("before");
        await bob.ExpectAsync("[#lobby] <alice> before");

        // n2 cannot read while its pushes are cut off; n1 resubscribes at once.
        await cluster.PauseNodeAsync(1);
        try
        {
            (await cluster.Redis.CommandAsync("CLIENT", "KILL", "TYPE", "pubsub")).Should().NotStartWith("(error)");
            for (var i = 0; i < 60; i++)
            {
                await alice.SendAsync(string.Create(CultureInfo.InvariantCulture, $"line {i}"));
            }

            await alice.SyncAsync();
        }
        finally
        {
            await cluster.ResumeNodeAsync(1);
        }

        await bob.ExpectAsync(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^! missed [0-9]+ lines in #lobby$"), TimeSpan.FromSeconds(20));
        await bob.ExpectAsync("[#lobby] <alice> line 59");
    }

    private static async Task<List<string>> ReadLinesAsync(ChatClient client, int count)
    {
        var lines = new List<string>();
        while (lines.Count < count)
        {
            var line = await client.ExpectAsync(l => l.StartsWith("[#lobby] <s", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            lines.Add(line);
        }

        return lines;
    }
}
