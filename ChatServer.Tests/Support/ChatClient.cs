using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatServer.Tests.Support;

/// <summary>
/// A line client over a real loopback socket. Every read waits with a timeout, so a test that
/// expects a line that never comes fails with the lines it did see, instead of hanging.
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly StreamReader _reader;
    private readonly Stream _stream;
    private readonly List<string> _seen = [];

    private ChatClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, new UTF8Encoding(false));
    }

    /// <summary>The nick the server gave or confirmed.</summary>
    public string Nick { get; set; } = "";

    /// <summary>Every line read so far.</summary>
    public IReadOnlyList<string> Seen => _seen;

    public Socket Socket => _tcp.Client;

    /// <summary>Connects without reading anything.</summary>
    public static async Task<ChatClient> ConnectRawAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return new ChatClient(tcp);
    }

    /// <summary>Connects and reads the greeting, learning the guest nick.</summary>
    public static async Task<ChatClient> ConnectAsync(int port)
    {
        var client = await ConnectRawAsync(port);
        var welcome = await client.ExpectAsync(l => l.StartsWith("* welcome to SupervisedChat, you are ", StringComparison.Ordinal));
        client.Nick = welcome["* welcome to SupervisedChat, you are ".Length..];
        await client.ExpectAsync("* type /help for commands");
        return client;
    }

    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next line, or null at end of stream.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultWait);
        try
        {
            var line = await _reader.ReadLineAsync(cancel.Token);
            if (line is not null)
            {
                _seen.Add(line);
            }

            return line;
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"no line within {(timeout ?? DefaultWait).TotalSeconds} s; lines so far: [{string.Join(" | ", _seen)}]");
        }
    }

    /// <summary>Reads until a line matches; fails on timeout or end of stream.</summary>
    public async Task<string> ExpectAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        while (true)
        {
            var line = await ReadLineAsync(timeout) ?? throw new AssertionException($"connection closed; lines so far: [{string.Join(" | ", _seen)}]");
            if (match(line))
            {
                return line;
            }
        }
    }

    /// <summary>Reads until exactly <paramref name="line"/> arrives.</summary>
    public Task<string> ExpectAsync(string line, TimeSpan? timeout = null) => ExpectAsync(l => l == line, timeout);

    /// <summary>Sends a ping and reads until its pong: everything the server queued for this client before is then read.</summary>
    public async Task<IReadOnlyList<string>> SyncAsync(string token = "sync")
    {
        var before = _seen.Count;
        await SendAsync($"/ping {token}");
        await ExpectAsync($"* pong {token}");
        return _seen.Skip(before).SkipLast(1).ToList();
    }

    /// <summary>Reads until every one of <paramref name="expected"/> has arrived, in any order; returns every line read.</summary>
    public async Task<IReadOnlyList<string>> ExpectAllAsync(params string[] expected)
    {
        var missing = new List<string>(expected);
        var read = new List<string>();
        while (missing.Count > 0)
        {
            var line = await ReadLineAsync()
                ?? throw new AssertionException($"{Nick}: connection closed while waiting for [{string.Join(" | ", missing)}]; lines so far: [{string.Join(" | ", _seen)}]");
            read.Add(line);
            missing.Remove(line);
        }

        return read;
    }

    /// <summary>
    /// Reads away what is already queued for this client (a ping barrier), then sends
    /// <paramref name="line"/> and returns what arrived before a second barrier: the answer.
    /// </summary>
    public async Task<IReadOnlyList<string>> CommandAsync(string line)
    {
        await SyncAsync("before");
        await SendAsync(line);
        return await SyncAsync("after");
    }

    /// <summary>Reads until the server closes the connection; returns the lines read on the way.</summary>
    public async Task<IReadOnlyList<string>> ExpectClosedAsync(TimeSpan? timeout = null)
    {
        var before = _seen.Count;
        try
        {
            while (await ReadLineAsync(timeout) is not null)
            {
            }
        }
        catch (IOException)
        {
            // A reset also closes the connection.
        }

        return _seen.Skip(before).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _tcp.Dispose();
        await Task.CompletedTask;
    }
}
