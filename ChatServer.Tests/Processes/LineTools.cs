using System.Globalization;

namespace ChatServer.Tests.Processes;

/// <summary>
/// Real <c>nc</c> (netcat-openbsd), <c>telnet</c> (inetutils) and <c>openssl s_client</c> clients, and <c>script</c> (bsdutils,
/// essential on Debian) for a terminal. A missing tool fails the test: CI installs nc and telnet.
/// </summary>
public static class LineTools
{
    /// <summary>The full path of <paramref name="tool"/> on PATH; fails the test if it is not installed.</summary>
    public static string Require(string tool, string package) =>
        Find(tool) ?? throw new AssertionException($"{tool} is not installed (package {package}); .ci/run installs it, and these tests need it");

    /// <summary>The full path of <paramref name="tool"/> on PATH, or null if it is not there.</summary>
    public static string? Find(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts <c>nc 127.0.0.1 PORT</c> and reads its greeting.</summary>
    public static async Task<RunningProcess> ConnectNetcatAsync(int port)
    {
        var nc = RunningProcess.Start(Require("nc", "netcat-openbsd"), ["127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]);
        return await GreetedAsync(nc);
    }

    /// <summary>Starts <c>telnet 127.0.0.1 PORT</c>, reads telnet's own banner and then the server's greeting.</summary>
    public static async Task<RunningProcess> ConnectTelnetAsync(int port)
    {
        var telnet = RunningProcess.Start(Require("telnet", "inetutils-telnet"), ["127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]);
        return await BannerAndGreetingAsync(telnet);
    }

    /// <summary>
    /// Starts <c>telnet 127.0.0.1 PORT</c> on a terminal of its own, as a person runs it: <c>script</c>
    /// (util-linux) gives it a pseudo-terminal, so the terminal edits and echoes lines and turns
    /// Ctrl+C (0x03) into a signal, which telnet with a pipe for stdin does not see. What is written
    /// to the process goes in as typed; its stdout is the terminal, echo included.
    /// </summary>
    public static async Task<RunningProcess> ConnectTelnetOnTerminalAsync(int port)
    {
        var telnet = Require("telnet", "inetutils-telnet");
        var terminal = RunningProcess.Start(
            Require("script", "bsdutils"),
            ["--quiet", "--flush", "--return", "--command", $"{telnet} 127.0.0.1 {port.ToString(CultureInfo.InvariantCulture)}", "/dev/null"]);
        return await BannerAndGreetingAsync(terminal);
    }

    /// <summary>
    /// Starts <c>openssl s_client -quiet -connect 127.0.0.1:PORT</c> (Debian's <c>openssl</c>), the TLS client
    /// docs/operations.md tells people to use, and reads the server's greeting through it.
    /// </summary>
    public static async Task<RunningProcess> ConnectOpenSslAsync(int port)
    {
        var openssl = RunningProcess.Start(Require("openssl", "openssl"), ["s_client", "-quiet", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"]);
        return await GreetedAsync(openssl);
    }

    /// <summary>The certificate a real <c>openssl s_client</c> is presented on <paramref name="port"/> (its handshake alone: stdin is empty).</summary>
    public static async Task<System.Security.Cryptography.X509Certificates.X509Certificate2> PresentedToOpenSslAsync(int port)
    {
        await using var openssl = RunningProcess.Start(
            "sh",
            ["-c", "exec \"$0\" s_client -connect \"127.0.0.1:$1\" </dev/null", Require("openssl", "openssl"), port.ToString(CultureInfo.InvariantCulture)]);
        (await openssl.WaitForExitAsync()).Should().Be(0, openssl.Transcript());
        var text = string.Join('\n', openssl.Stdout);
        var begin = text.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
        var end = text.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal);
        begin.Should().BeGreaterThanOrEqualTo(0, "openssl s_client prints the server's certificate: " + openssl.Transcript());
        return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(text.AsSpan(begin, end - begin + "-----END CERTIFICATE-----".Length));
    }

    /// <summary>Sends <c>/nick</c> and waits for the confirmation.</summary>
    public static async Task NickAsync(RunningProcess client, string nick)
    {
        await client.SendLineAsync($"/nick {nick}");
        await client.ExpectLineAsync($"* you are now known as {nick}");
    }

    private static async Task<RunningProcess> BannerAndGreetingAsync(RunningProcess telnet)
    {
        try
        {
            await telnet.ExpectLineAsync(l => l.StartsWith("Connected to ", StringComparison.Ordinal), "\"Connected to ...\"");
            await telnet.ExpectLineAsync("Escape character is '^]'.");
        }
        catch
        {
            await telnet.DisposeAsync();
            throw;
        }

        return await GreetedAsync(telnet);
    }

    private static async Task<RunningProcess> GreetedAsync(RunningProcess client)
    {
        try
        {
            await client.ExpectLineAsync(l => l.StartsWith("* welcome to SupervisedChat, you are guest", StringComparison.Ordinal), "\"* welcome ...\"");
            await client.ExpectLineAsync("* type /help for commands");
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}
