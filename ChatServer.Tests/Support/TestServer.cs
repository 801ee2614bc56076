using System.Net;
using ChatServer.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatServer.Tests.Support;

/// <summary>An in-process chat server on a free loopback port, with fault injection on.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(ChatServerHost host) => Host = host;

    public ChatServerHost Host { get; }

    public int Port => Host.LocalEndPoint.Port;

    /// <summary>Starts a server; <paramref name="loggers"/> receives its log lines (none by default).</summary>
    public static async Task<TestServer> StartAsync(Func<ChatServerOptions, ChatServerOptions>? configure = null, ILoggerFactory? loggers = null)
    {
        var options = new ChatServerOptions
        {
            Port = 0,
            BindAddress = IPAddress.Loopback,
            EnableFaultInjection = true,
            ShutdownFlushTimeout = TimeSpan.FromSeconds(2),

            // Tests drive many clients from one address at full speed; the tests of these protections turn them back on.
            MaxPerIp = 0,
            FloodRate = 0,
        };
        options = configure?.Invoke(options) ?? options;
        return new TestServer(await ChatServerHost.StartAsync(options, loggers ?? NullLoggerFactory.Instance));
    }

    /// <summary>Connects a client and reads its greeting.</summary>
    public Task<ChatClient> ConnectAsync() => ChatClient.ConnectAsync(Port);

    /// <summary>Connects a client, reads its greeting and sets its nick.</summary>
    public async Task<ChatClient> ConnectAsync(string nick)
    {
        var client = await ConnectAsync();
        await client.SendAsync($"/nick {nick}");
        await client.ExpectAsync($"* you are now known as {nick}");
        client.Nick = nick;
        return client;
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
