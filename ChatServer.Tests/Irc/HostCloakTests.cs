using ChatServer.Tests.Support;

namespace ChatServer.Tests.Irc;

/// <summary>Cloaked hosts: the same for one address on every port of a server, and stable across servers that share --cloak-key.</summary>
public class HostCloakTests
{
    [Test]
    public async Task Servers_that_share_a_cloak_key_show_one_address_as_the_same_host_and_others_do_not()
    {
        await using var first = await TestServer.StartAsync(options => options with { CloakKey = "shared secret" });
        await using var second = await TestServer.StartAsync(options => options with { CloakKey = "shared secret" });
        await using var unkeyed = await TestServer.StartAsync();

        var hosts = new List<string>();
        foreach (var server in new[] { first, second, unkeyed })
        {
            await using var irc = await server.ConnectIrcAsync("ann");
            var whois = await irc.CommandAsync("WHOIS ann");
            hosts.Add(whois.Single(reply => reply.Command == "311").Params[3]);
        }

        hosts[0].Should().EndWith(".cloak").And.Be(hosts[1], "a restart or another node with the same key shows the same host, so a ban on it holds");
        hosts[2].Should().EndWith(".cloak").And.NotBe(hosts[0], "without a key the cloak is random per process");
    }

    [Test]
    public async Task A_line_user_has_the_same_host_as_an_irc_user_from_the_same_address()
    {
        await using var server = await TestServer.StartAsync();
        await using var irc = await server.ConnectIrcAsync("ann");
        await using var line = await server.ConnectAsync("bob");

        var ann = (await irc.CommandAsync("WHOIS ann")).Single(reply => reply.Command == "311").Params[3];
        var bob = (await irc.CommandAsync("WHOIS bob")).Single(reply => reply.Command == "311").Params[3];

        bob.Should().Be(ann, "one cloak per server, shared by its ports");
    }
}
