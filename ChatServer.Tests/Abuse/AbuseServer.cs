using ChatServer.Chat;
using ChatServer.Clients;
using ChatServer.Hosting;
using ChatServer.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ChatServer.Tests.Abuse;

/// <summary>
/// A <see cref="TestServer"/> (per-IP limit and flood control off unless a test turns them on)
/// whose log lines are kept for assertions.
/// </summary>
public sealed class AbuseServer : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly TestServer _server;

    private AbuseServer(TestServer server, LogCapture logs)
    {
        _server = server;
        Logs = logs;
    }

    public ChatServerHost Host => _server.Host;

    /// <summary>Everything the server logged.</summary>
    public LogCapture Logs { get; }

    public int Port => _server.Port;

    public static async Task<AbuseServer> StartAsync(Func<ChatServerOptions, ChatServerOptions>? configure = null)
    {
        var logs = new LogCapture();
        try
        {
            var server = await TestServer.StartAsync(o => configure?.Invoke(o with { LogLevel = LogLevel.Trace }) ?? o with { LogLevel = LogLevel.Trace }, logs.Factory);
            return new AbuseServer(server, logs);
        }
        catch
        {
            logs.Dispose();
            throw;
        }
    }

    /// <summary>Connects a client and reads its greeting.</summary>
    public Task<ChatClient> ConnectAsync() => _server.ConnectAsync();

    /// <summary>Connects a client, reads its greeting and sets its nick (one line: it costs a flood token).</summary>
    public Task<ChatClient> ConnectAsync(string nick) => _server.ConnectAsync(nick);

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
            await _server.DisposeAsync();
        }
        finally
        {
            Logs.Dispose();
        }
    }
}
