namespace ChatServer.Tests.Processes;

/// <summary>The systemd unit in deploy/: what systemd itself says of it, and the settings the docs promise.</summary>
public class DeployUnitTests
{
    private static readonly string UnitPath = Path.Combine(AppContext.BaseDirectory, "deploy", "supervisedchat.service");

    [Test]
    public async Task Systemd_analyze_verify_accepts_the_unit_without_a_warning()
    {
        if (!File.Exists("/usr/bin/systemd-analyze") && !File.Exists("/bin/systemd-analyze"))
        {
            Assert.Ignore("systemd-analyze is not installed here");
        }

        // verify checks that ExecStart is executable: point it at this build's server, as an install would.
        var unit = Path.Combine(Path.GetTempPath(), $"supervisedchat-{Guid.NewGuid():N}.service");
        await File.WriteAllTextAsync(unit, (await File.ReadAllTextAsync(UnitPath)).Replace("ExecStart=/opt/supervisedchat/ChatServer", $"ExecStart={ServerProcess.DotnetHost} {ServerProcess.DllPath}", StringComparison.Ordinal));
        try
        {
            await using var verify = RunningProcess.Start("systemd-analyze", ["verify", unit]);

            var exitCode = await verify.WaitForExitAsync();

            exitCode.Should().Be(0, verify.Transcript());
            verify.Stderr.Trim().Should().BeEmpty("systemd reports a bad setting as a warning, not an exit code");
            verify.Stdout.Should().BeEmpty();
        }
        finally
        {
            File.Delete(unit);
        }
    }

    [Test]
    public void The_unit_is_type_notify_sandboxed_and_gets_its_tls_key_as_a_credential()
    {
        var lines = File.ReadAllLines(UnitPath);

        lines.Should().Contain("Type=notify");
        lines.Should().Contain("DynamicUser=yes");
        lines.Should().Contain("ProtectSystem=strict");
        lines.Should().Contain("NoNewPrivileges=yes");
        lines.Should().Contain(line => line.StartsWith("LoadCredential=tls.key:", StringComparison.Ordinal));
        lines.Should().Contain(line => line.StartsWith("Environment=", StringComparison.Ordinal) && line.Contains("CHAT_TLS_KEY=%d/tls.key", StringComparison.Ordinal));
        lines.Should().Contain("RestartPreventExitStatus=2", "a bad setting (exit code 2) is not fixed by a restart");
    }
}
