using ChatServer.Tests.Processes;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Tls;

public class TlsStartErrorTests
{
    [Test]
    public async Task A_missing_certificate_file_exits_2_and_names_it()
    {
        using var certificates = TestCertificates.Create();
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.pem");

        var server = await ExitsAsync("--tls-port", "0", "--tls-cert", missing, "--tls-key", certificates.KeyPath);

        server.Stderr.Should().Contain("cannot load the TLS certificate").And.Contain(missing);
    }

    [Test]
    public async Task A_file_that_is_not_a_certificate_exits_2()
    {
        using var certificates = TestCertificates.Create();
        certificates.SwapInBrokenCertificate();

        var server = await ExitsAsync("--irc-tls-port", "0", "--tls-cert", certificates.CertificatePath, "--tls-key", certificates.KeyPath);

        server.Stderr.Should().Contain("cannot load the TLS certificate").And.Contain(certificates.CertificatePath);
    }

    [Test]
    public async Task A_TLS_port_without_certificate_and_key_exits_2_naming_the_flags()
    {
        var server = await ExitsAsync("--tls-port", "0");

        server.Stderr.Should().Contain("--tls-cert").And.Contain("--tls-key");
    }

    /// <summary>Runs the server with <paramref name="arguments"/>, expecting a start error: exit code 2 and no listening line.</summary>
    private static async Task<RunningProcess> ExitsAsync(params string[] arguments)
    {
        var server = ServerProcess.Launch(["--port", "0", "--bind", "127.0.0.1", .. arguments]);
        try
        {
            var exitCode = await server.WaitForExitAsync(ServerProcess.StartWait);
            exitCode.Should().Be(2, server.Transcript());
            server.Stdout.Should().NotContain(l => l.Contains("listening", StringComparison.Ordinal), "nothing is bound when the start fails");
            return server;
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
