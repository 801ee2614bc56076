using System.Net;
using ChatServer.Chat;
using ChatServer.Clients;
using ChatServer.Hosting;
using ChatServer.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ChatServer.Tests.Abuse;

/// <summary>
/// An in-process chat server on a free loopback port, like <see cref="TestServer"/> (per-IP limit and
/// flood control off unless a test turns them on), whose log lines are kept for assertions.
/// </summary>
public sealed class AbuseServer : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly ILoggerFactory _loggers;

    private AbuseServer(ChatServerHost host, ILoggerFactory loggers, CapturingLoggerProvider logs)
    {
        Host = host;
        _loggers = loggers;
        Logs = logs;
    }

    public ChatServerHost Host { get; }

    /// <summary>Everything the server logged.</summary>
    public CapturingLoggerProvider Logs { get; }

    public int Port => Host.LocalEndPoint.Port;

    public static async Task<AbuseServer> StartAsync(Func<ChatServerOptions, ChatServerOptions>? configure = null)
    {
        var options = new ChatServerOptions
        {
            Port = 0,
            BindAddress = IPAddress.Loopback,
            EnableFaultInjection = true,
            ShutdownFlushTimeout = TimeSpan.FromSeconds(2),
            MaxPerIp = 0,
            FloodRate = 0,
            LogLevel = LogLevel.Trace,
        };
        options = configure?.Invoke(options) ?? options;
        var logs = new CapturingLoggerProvider();
        var loggers = new LoggerFactory([logs]);
        try
        {
            return new AbuseServer(await ChatServerHost.StartAsync(options, loggers), loggers, logs);
        }
        catch
        {
            loggers.Dispose();
            throw;
        }
    }

    /// <summary>Connects a client and reads its greeting.</summary>
    public Task<ChatClient> ConnectAsync() => ChatClient.ConnectAsync(Port);

    /// <summary>Connects a client, reads its greeting and sets its nick (one line: it costs a flood token).</summary>
    public async Task<ChatClient> ConnectAsync(string nick)
    {
        var client = await ConnectAsync();
        await client.SendAsync($"/nick {nick}");
        await client.ExpectAsync($"* you are now known as {nick}");
        client.Nick = nick;
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
            _loggers.Dispose();
        }
    }
}
