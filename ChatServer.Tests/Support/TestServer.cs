using System.Net;
using ChatServer.Clients;
using ChatServer.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatServer.Tests.Support;

/// <summary>
/// An in-process chat server on a free loopback port, with fault injection on, and per-IP limit and
/// flood control off unless a test turns them on. Started with <c>captureLogs: true</c>, it keeps
/// every log line of the server in <see cref="Logs"/>.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    /// <summary>How long a step on the server's side (a worker's exit, a restart) may take on a loaded machine.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly LogCapture? _logs;

    private TestServer(ChatServerHost host, LogCapture? logs)
    {
        Host = host;
        _logs = logs;
    }

    public ChatServerHost Host { get; }

    public int Port => Host.LocalEndPoint.Port;

    /// <summary>The IRC port (a free one: the chat port is 0).</summary>
    public int IrcPort => Host.IrcEndPoint?.Port ?? throw new InvalidOperationException("this server runs without IRC");

    /// <summary>The line protocol's TLS port (a free one), for a server started with <see cref="StartWithTlsAsync"/>.</summary>
    public int TlsPort => Host.TlsEndPoint?.Port ?? throw new InvalidOperationException("this server runs without a TLS port");

    /// <summary>IRC's TLS port (a free one), for a server started with <see cref="StartWithTlsAsync"/>.</summary>
    public int IrcTlsPort => Host.IrcTlsEndPoint?.Port ?? throw new InvalidOperationException("this server runs without an IRC TLS port");

    /// <summary>Everything the server logged, at every level; only for a server started with <c>captureLogs: true</c>.</summary>
    public LogCapture Logs => _logs ?? throw new InvalidOperationException("this server was started without captureLogs: true");

    /// <summary>Starts a server; with <paramref name="captureLogs"/>, its log lines are kept in <see cref="Logs"/> (none are kept by default).</summary>
    public static async Task<TestServer> StartAsync(Func<ChatServerOptions, ChatServerOptions>? configure = null, bool captureLogs = false)
    {
        var options = new ChatServerOptions
        {
            Port = 0,
            BindAddress = "127.0.0.1",
            EnableFaultInjection = true,
            ShutdownFlushTimeout = TimeSpan.FromSeconds(2),

            // Tests drive many clients from one address at full speed; the tests of these protections turn them back on.
            MaxPerIp = 0,
            FloodRate = 0,
        };
        if (captureLogs)
        {
            options = options with { LogLevel = LogLevel.Trace };
        }

        options = configure?.Invoke(options) ?? options;
        var logs = captureLogs ? new LogCapture() : null;
        try
        {
            return new TestServer(await ChatServerHost.StartAsync(options, logs?.Factory ?? NullLoggerFactory.Instance), logs);
        }
        catch
        {
            logs?.Dispose();
            throw;
        }
    }

    /// <summary>Starts a server with both TLS ports on free ports, presenting <paramref name="certificates"/>; as <see cref="StartAsync"/> otherwise.</summary>
    public static Task<TestServer> StartWithTlsAsync(TestCertificates certificates, Func<ChatServerOptions, ChatServerOptions>? configure = null, bool captureLogs = false) =>
        StartAsync(
            options =>
            {
                options = options with { TlsPort = 0, IrcTlsPort = 0, TlsCertificatePath = certificates.CertificatePath, TlsKeyPath = certificates.KeyPath };
                return configure?.Invoke(options) ?? options;
            },
            captureLogs);

    /// <summary>Connects a client and reads its greeting.</summary>
    public Task<ChatClient> ConnectAsync() => ChatClient.ConnectAsync(Port);

    /// <summary>Connects a client, reads its greeting and sets its nick (one line: with flood control on, it costs a token).</summary>
    public async Task<ChatClient> ConnectAsync(string nick)
    {
        var client = await ConnectAsync();
        await client.SendAsync($"/nick {nick}");
        await client.ExpectAsync($"* you are now known as {nick}");
        client.Nick = nick;
        return client;
    }

    /// <summary>Connects an IRC client and registers it as <paramref name="nick"/>, with <paramref name="capabilities"/>.</summary>
    public async Task<IrcClient> ConnectIrcAsync(string nick, params string[] capabilities)
    {
        var client = await IrcClient.ConnectAsync(IrcPort);
        await client.RegisterAsync(nick, capabilities);
        return client;
    }

    /// <summary>The server's worker for the client called <paramref name="nick"/>.</summary>
    public async Task<ClientWorker> WorkerAsync(string nick)
    {
        var presence = Host.Services.Presence ?? throw new AssertionException("the nick registry is not running");
        var member = await presence.FindAsync(nick) ?? throw new AssertionException($"no client is called {nick}");
        return (ClientWorker)member;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.DisposeAsync();
        }
        finally
        {
            _logs?.Dispose();
        }
    }
}
