using System.Globalization;
using System.Text.RegularExpressions;
using ChatServer.Hosting;

namespace ChatServer.Tests.Processes;

/// <summary>
/// The built server (the ChatServer.dll the test project references) run as a real process with
/// <c>dotnet ChatServer.dll ...</c>. Inherited <c>CHAT_*</c> variables are dropped so that only what a
/// test passes configures it.
/// </summary>
public static partial class ServerProcess
{
    /// <summary>How long a server may take to print its address on a loaded machine.</summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);

    /// <summary>The server's assembly, with its runtimeconfig beside it.</summary>
    public static string DllPath
    {
        get
        {
            var dll = typeof(ChatServerHost).Assembly.Location;
            var runtimeConfig = Path.ChangeExtension(dll, ".runtimeconfig.json");
            File.Exists(runtimeConfig).Should().BeTrue($"{runtimeConfig} must sit beside {dll} to run it with dotnet");
            return dll;
        }
    }

    /// <summary>The dotnet host running these tests, or the one on PATH.</summary>
    public static string DotnetHost
    {
        get
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            {
                return fromSdk;
            }

            var current = Environment.ProcessPath;
            return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
    }

    /// <summary>Starts <c>dotnet ChatServer.dll</c> with exactly <paramref name="arguments"/>, without waiting for anything.</summary>
    public static RunningProcess Launch(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        RunningProcess.Start(DotnetHost, [DllPath, .. arguments], environment, removeVariablesStartingWith: "CHAT_");

    /// <summary>Starts a server on a free loopback port and waits until it prints the port it bound.</summary>
    public static async Task<(RunningProcess Server, int Port)> StartAsync(params string[] extraArguments)
    {
        var server = Launch(["--port", "0", "--bind", "127.0.0.1", .. extraArguments]);
        try
        {
            return (server, await ReadPortAsync(server));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads stdout until <c>SupervisedChat listening on 127.0.0.1:PORT</c> and returns PORT.</summary>
    public static Task<int> ReadPortAsync(RunningProcess server) => ReadListeningPortAsync(server, "SupervisedChat listening on ");

    /// <summary>Reads stdout until <c>IRC listening on 127.0.0.1:PORT</c> (printed after the chat port's line) and returns PORT.</summary>
    public static Task<int> ReadIrcPortAsync(RunningProcess server) => ReadListeningPortAsync(server, "IRC listening on ");

    /// <summary>Reads stdout until <c>TLS listening on 127.0.0.1:PORT</c> (the line protocol's TLS port) and returns PORT.</summary>
    public static Task<int> ReadTlsPortAsync(RunningProcess server) => ReadListeningPortAsync(server, "TLS listening on ");

    /// <summary>Reads stdout until <c>IRC TLS listening on 127.0.0.1:PORT</c> and returns PORT.</summary>
    public static Task<int> ReadIrcTlsPortAsync(RunningProcess server) => ReadListeningPortAsync(server, "IRC TLS listening on ");

    /// <summary>Reads stdout until <c>metrics listening on http://127.0.0.1:PORT</c> (printed after the listeners' lines) and returns PORT.</summary>
    public static Task<int> ReadMetricsPortAsync(RunningProcess server) => ReadListeningPortAsync(server, "metrics listening on http://");

    /// <summary>Reads stdout until the start-up line <c>PREFIX127.0.0.1:PORT</c> and returns PORT.</summary>
    private static async Task<int> ReadListeningPortAsync(RunningProcess server, string prefix)
    {
        var line = await server.ExpectLineAsync(l => l.StartsWith(prefix + "127.0.0.1:", StringComparison.Ordinal) && PortSuffix().IsMatch(l), $"\"{prefix}127.0.0.1:PORT\"", StartWait);
        var port = int.Parse(PortSuffix().Match(line).Groups["port"].Value, CultureInfo.InvariantCulture);
        port.Should().BeInRange(1, 65535);
        return port;
    }

    [GeneratedRegex(@":(?<port>\d+)$")]
    private static partial Regex PortSuffix();
}
