using System.Text.RegularExpressions;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

public partial class OrderingTests
{
    private static readonly TimeSpan s_patientWait = TimeSpan.FromSeconds(60);

    [Test]
    [CancelAfter(180_000)]
    public async Task Every_member_gets_every_senders_lines_complete_and_in_order_while_many_send_at_once()
    {
        const int senders = 8;
        const int perSender = 200;
        await using var server = await TestServer.StartAsync(o => o with { HistoryLength = 0 });
        await using var reader = await server.ConnectAsync("reader");
        await using var clients = new ClientGroup();
        for (var i = 0; i < senders; i++)
        {
            clients.Add(await server.ConnectAsync($"s{i}"));
        }

        // Every sender has joined before anyone speaks: all of them must get everything too.
        await reader.SyncAsync();
        foreach (var client in clients)
        {
            await client.SyncAsync();
        }

        var sending = clients.Select((client, i) => Task.Run(async () =>
        {
            for (var n = 1; n <= perSender; n++)
            {
                await client.SendAsync($"s{i} {n}");
            }
        }));
        var readers = clients.Select((client, i) => Task.Run(() => ReceiveAllAsync(client, senders, perSender, except: i)))
            .Prepend(Task.Run(() => ReceiveAllAsync(reader, senders, perSender, except: -1)))
            .ToList();
        await Task.WhenAll(sending);
        var received = await Task.WhenAll(readers);

        received[0].Should().HaveCount(senders * perSender);
        for (var i = 0; i < senders; i++)
        {
            received[i + 1].Should().HaveCount((senders - 1) * perSender, "s{0} hears every other sender", i);
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_burst_in_one_write_that_switches_rooms_keeps_each_rooms_order()
    {
        await using var server = await TestServer.StartAsync(o => o with { HistoryLength = 0 });
        await using var alice = await server.ConnectAsync("alice");
        await using var bob = await server.ConnectAsync("bob");
        await alice.CommandAsync("/join #dev");
        await bob.CommandAsync("/join #dev");

        // A burst in one write, switching rooms every 50 lines: each room gets alice's lines complete and in order.
        var burst = string.Concat(Enumerable.Range(1, 300).Select(n => n % 50 == 0 ? $"/join {(n / 50 % 2 == 0 ? "#dev" : "#lobby")}\nb {n}\n" : $"b {n}\n"));
        await alice.SendRawAsync(System.Text.Encoding.UTF8.GetBytes(burst));
        await alice.SendAsync("/join #dev");
        await alice.SendAsync("b end");

        var numbersByRoom = new Dictionary<string, List<int>> { ["dev"] = [], ["lobby"] = [] };
        var endSeen = false;
        while (!endSeen || numbersByRoom.Values.Sum(n => n.Count) < 300)
        {
            var line = await bob.ReadLineAsync(s_patientWait) ?? throw new AssertionException("bob was disconnected");
            if (line == "[#dev] <alice> b end")
            {
                endSeen = true;
                continue;
            }

            var match = Numbered().Match(line);
            if (match.Success)
            {
                numbersByRoom[match.Groups[1].Value].Add(int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        // Lines 1-49, 100-149, ... went to #dev; 50-99, 150-199, ... to #lobby.
        numbersByRoom["dev"].Should().Equal(Enumerable.Range(1, 300).Where(n => n / 50 % 2 == 0));
        numbersByRoom["lobby"].Should().Equal(Enumerable.Range(1, 300).Where(n => n / 50 % 2 == 1));
    }

    /// <summary>Reads until every sender's last line arrived, checking each sender's numbers run 1, 2, 3, ... without gaps.</summary>
    private static async Task<List<string>> ReceiveAllAsync(ChatClient client, int senders, int perSender, int except)
    {
        var last = new int[senders];
        var messages = new List<string>();
        var done = except >= 0 ? 1 : 0;
        while (done < senders)
        {
            var line = await client.ReadLineAsync(s_patientWait)
                ?? throw new AssertionException($"{client.Nick} was disconnected after {messages.Count} messages");
            var match = FromSender().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var sender = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var number = int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
            match.Groups[2].Value.Should().Be(match.Groups[1].Value, "a line carries the name of its sender");
            sender.Should().NotBe(except, "{0} must not get its own lines back", client.Nick);
            number.Should().Be(last[sender] + 1, "{0} must get s{1}'s lines in order and without gaps", client.Nick, sender);
            last[sender] = number;
            messages.Add(line);
            if (number == perSender)
            {
                done++;
            }
        }

        return messages;
    }

    [GeneratedRegex(@"^\[#lobby\] <s([0-9]+)> s([0-9]+) ([0-9]+)$")]
    private static partial Regex FromSender();

    [GeneratedRegex(@"^\[#(dev|lobby)\] <alice> b ([0-9]+)$")]
    private static partial Regex Numbered();
}
