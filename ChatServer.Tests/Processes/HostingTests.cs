using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Processes;

/// <summary>The real process on the Generic Host: settings files, start-up lines, JSON logs, systemd readiness.</summary>
public class HostingTests
{
    [Test]
    public async Task A_settings_file_configures_the_server_and_the_environment_and_the_flags_override_it()
    {
        // appsettings.{DOTNET_ENVIRONMENT}.json beside the binary is layered over appsettings.json, as in every .NET host;
        // a name of its own keeps this file away from every other test's server.
        using var file = SettingsFile.Write("""{ "Chat": { "LobbyTopic": "from the file", "MaxClients": 5 } }""");

        await using var fromFile = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1"], file.Environment());
        await using var fromVariable = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1"], file.Environment(("CHAT_LOBBY_TOPIC", "from the variable")));
        await using var fromFlag = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1", "--lobby-topic", "from the flag"], file.Environment(("CHAT_LOBBY_TOPIC", "from the variable")));

        await using var first = await ChatClient.ConnectAsync(await ServerProcess.ReadPortAsync(fromFile));
        await using var second = await ChatClient.ConnectAsync(await ServerProcess.ReadPortAsync(fromVariable));
        await using var third = await ChatClient.ConnectAsync(await ServerProcess.ReadPortAsync(fromFlag));

        first.Seen.Should().Contain("* topic of #lobby: from the file");
        second.Seen.Should().Contain("* topic of #lobby: from the variable");
        third.Seen.Should().Contain("* topic of #lobby: from the flag");
        fromFile.Stdout.Should().Contain(line => line.Contains("clients", StringComparison.Ordinal) && line.Contains("max 5", StringComparison.Ordinal), "the tree shows the file's max-clients");
    }

    [Test]
    public async Task A_bad_value_in_a_settings_file_exits_2_with_one_line_naming_the_key_the_flag_and_the_variable()
    {
        using var file = SettingsFile.Write("""{ "Chat": { "Port": "forty" } }""");
        await using var server = ServerProcess.Launch(["--bind", "127.0.0.1"], file.Environment());

        var exitCode = await server.WaitForExitAsync(ServerProcess.StartWait);

        exitCode.Should().Be(2, server.Transcript());
        var lines = server.Stderr.Trim().Split('\n');
        lines.Should().ContainSingle(server.Transcript()).Which.Should().StartWith("error: Chat:Port=forty").And.Contain("--port").And.Contain("CHAT_PORT");
    }

    [Test]
    public async Task The_start_up_lines_come_before_the_hosts_lifetime_messages()
    {
        var (server, _) = await ServerProcess.StartAsync();
        await using var _ = server;

        await server.ExpectLineAsync(line => line.Contains("Application started", StringComparison.Ordinal), "the host's lifetime message", ServerProcess.StartWait);

        var stdout = server.Stdout.ToList();
        var started = stdout.FindIndex(line => line.Contains("Application started", StringComparison.Ordinal));
        stdout.FindIndex(line => line.StartsWith("SupervisedChat listening on", StringComparison.Ordinal)).Should().BeInRange(0, started - 1, server.Transcript());
        stdout.FindIndex(line => line.StartsWith("IRC listening on", StringComparison.Ordinal)).Should().BeInRange(0, started - 1, server.Transcript());
        stdout.FindIndex(line => line.StartsWith("chat (one_for_one", StringComparison.Ordinal)).Should().BeInRange(0, started - 1, "the tree is printed before too");
    }

    [Test]
    public async Task With_the_json_log_format_every_stdout_line_is_one_json_object_the_start_up_lines_included()
    {
        await using var server = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1", "--log-format", "json"]);
        var listening = await server.ExpectLineAsync(line => line.Contains("SupervisedChat listening on 127.0.0.1:", StringComparison.Ordinal), "the listening line as JSON", ServerProcess.StartWait);
        var message = JsonDocument.Parse(listening).RootElement.GetProperty("Message").GetString()!;
        var port = int.Parse(message[(message.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        await using (var client = await ChatClient.ConnectAsync(port))
        {
            await client.SendAsync("hello");
        }

        await server.TerminateAsync();
        (await server.WaitForExitAsync(ServerProcess.StartWait)).Should().Be(0, server.Transcript());

        server.Stdout.Should().HaveCountGreaterThan(3);
        foreach (var line in server.Stdout)
        {
            var json = JsonDocument.Parse(line).RootElement;
            json.ValueKind.Should().Be(JsonValueKind.Object, line);
            json.TryGetProperty("Message", out _).Should().BeTrue(line);
        }

        server.Stdout.Should().Contain(line => line.Contains("one_for_one", StringComparison.Ordinal), "the tree is one JSON object too");
    }

    [Test]
    public async Task Under_systemd_the_server_says_ready_once_listening_and_stopping_on_SIGTERM()
    {
        // systemd's sd_notify protocol: a datagram socket named by NOTIFY_SOCKET. The host speaks it when it
        // sees it runs under systemd: its parent process is named systemd (here a shell by that name).
        var directory = Directory.CreateTempSubdirectory("chat-systemd-");
        var path = Path.Combine(directory.FullName, "notify.sock");
        var systemd = Path.Combine(directory.FullName, "systemd");
        File.CreateSymbolicLink(systemd, "/bin/sh");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            await using var parent = RunningProcess.Start(
                systemd,
                ["-c", "\"$0\" \"$@\" & echo \"server pid $!\"; wait $!", ServerProcess.DotnetHost, ServerProcess.DllPath, "--port", "0", "--bind", "127.0.0.1"],
                new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = path },
                removeVariablesStartingWith: "CHAT_");
            var pid = (await parent.ExpectLineAsync(line => line.StartsWith("server pid ", StringComparison.Ordinal), "the server's pid"))["server pid ".Length..];

            (await ReceiveAsync(notify)).Should().Contain("READY=1");
            parent.Stdout.Should().Contain(line => line.Contains("SupervisedChat listening on", StringComparison.Ordinal), "ready comes after the listeners are up");

            await using (var kill = RunningProcess.Start("kill", ["-TERM", pid]))
            {
                (await kill.WaitForExitAsync()).Should().Be(0, kill.Transcript());
            }

            (await ReceiveAsync(notify)).Should().Contain("STOPPING=1");
            (await parent.WaitForExitAsync(ServerProcess.StartWait)).Should().Be(0, parent.Transcript());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(ServerProcess.StartWait);
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, received);
    }

    /// <summary>An <c>appsettings.NAME.json</c> beside the binary, chosen with <c>DOTNET_ENVIRONMENT=NAME</c>; deleted on dispose.</summary>
    private sealed class SettingsFile : IDisposable
    {
        private SettingsFile(string name, string path)
        {
            Name = name;
            Path = path;
        }

        public string Name { get; }

        public string Path { get; }

        public static SettingsFile Write(string json)
        {
            var name = "Test" + Guid.NewGuid().ToString("N");
            var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(ServerProcess.DllPath)!, $"appsettings.{name}.json");
            File.WriteAllText(path, json);
            return new SettingsFile(name, path);
        }

        public Dictionary<string, string?> Environment(params (string Name, string Value)[] more)
        {
            var environment = new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = Name };
            foreach (var (name, value) in more)
            {
                environment[name] = value;
            }

            return environment;
        }

        public void Dispose() => File.Delete(Path);
    }
}
