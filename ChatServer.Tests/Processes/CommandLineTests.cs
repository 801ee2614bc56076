using System.Globalization;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Processes;

public class CommandLineTests
{
    [Test]
    public async Task A_second_server_on_a_port_in_use_fails_fast_with_exit_code_2_and_says_why()
    {
        var (first, port) = await ServerProcess.StartAsync();
        await using var _ = first;

        await using var second = ServerProcess.Launch(["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1"]);
        var exitCode = await second.WaitForExitAsync(ServerProcess.StartWait);

        exitCode.Should().Be(2, $"a bind failure is a startup error; {second.Transcript()}");
        second.Stderr.Should().Contain(port.ToString(CultureInfo.InvariantCulture)).And.ContainEquivalentOf("in use");
        second.Stdout.Should().NotContain(l => l.StartsWith("SupervisedChat listening", StringComparison.Ordinal));
        await using var client = await ChatClient.ConnectAsync(port);
        client.Nick.Should().StartWith("guest", "the first server still serves its port");
    }

    [Test]
    public async Task Help_lists_the_options_and_exits_0()
    {
        await using var help = ServerProcess.Launch(["--help"]);

        var exitCode = await help.WaitForExitAsync(ServerProcess.StartWait);

        exitCode.Should().Be(0, help.Transcript());
        var text = string.Join('\n', help.Stdout);
        foreach (var option in new[] { "--port", "--bind", "--max-clients", "--history", "--announce-limit", "--telnet-binary", "--log-level" })
        {
            text.Should().Contain(option);
        }

        text.Should().NotContain("--enable-fault-injection", "the test-only switch is hidden");
        help.Stdout.Should().NotContain(l => l.StartsWith("SupervisedChat listening", StringComparison.Ordinal), "--help starts no server");
    }

    [Test]
    public async Task The_CHAT_PORT_variable_works_like_the_port_option()
    {
        await using var server = ServerProcess.Launch(["--bind", "127.0.0.1"], new Dictionary<string, string?> { ["CHAT_PORT"] = "0" });

        var port = await ServerProcess.ReadPortAsync(server);

        port.Should().NotBe(4040, "CHAT_PORT=0 picks a free port instead of the default");
        await using var client = await ChatClient.ConnectAsync(port);
        client.Nick.Should().StartWith("guest");
    }

    [Test]
    public async Task The_lobby_topic_comes_from_CHAT_LOBBY_TOPIC_and_the_option_wins()
    {
        var environment = new Dictionary<string, string?> { ["CHAT_LOBBY_TOPIC"] = "from the environment" };
        await using var fromEnvironment = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1"], environment);
        await using var fromOption = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1", "--lobby-topic", "be kind"], environment);

        await using var first = await ChatClient.ConnectAsync(await ServerProcess.ReadPortAsync(fromEnvironment));
        await using var second = await ChatClient.ConnectAsync(await ServerProcess.ReadPortAsync(fromOption));

        first.Seen.Should().Contain("* topic of #lobby: from the environment");
        second.Seen.Should().Contain("* topic of #lobby: be kind");
    }

    [Test]
    public async Task An_invalid_option_value_exits_2_with_a_message()
    {
        await using var server = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1", "--max-clients", "0"]);

        var exitCode = await server.WaitForExitAsync(ServerProcess.StartWait);

        exitCode.Should().Be(2, server.Transcript());
        server.Stderr.Should().Contain("--max-clients").And.Contain("CHAT_MAX_CLIENTS", "the line names the variable too");
    }
}
