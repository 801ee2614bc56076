using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatServer.Tests.Support;

/// <summary>
/// The tests' one line client, over a real loopback socket. Every wait has a timeout and fails
/// with what was received so far, instead of hanging.
/// <para>
/// Once a test first waits for something (at once for a greeted client), a pump reads everything
/// the server sends in the background. A client connected with <see cref="ConnectRawAsync"/> and
/// never waited on reads nothing: it can play a peer that does not read.
/// </para>
/// <para>
/// Lines are split on the server's CRLF only, so a lone CR or LF (or a telnet answer) inside a line
/// stays visible in the line; invalid UTF-8 shows as U+FFFD. <see cref="Raw"/> is the byte-level
/// view: every byte received, every line as bytes, and whether the server reset the connection.
/// </para>
/// </summary>
public sealed class ChatClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private const string Welcome = "* welcome to SupervisedChat, you are ";
    private static readonly UTF8Encoding s_lenient = new(false, throwOnInvalidBytes: false);

    private readonly Stream _stream;
    private readonly Lock _gate = new();
    private readonly List<byte> _received = [];
    private readonly List<byte[]> _lines = [];
    private readonly List<string> _seen = [];
    private TaskCompletionSource _changed = NewSignal();
    private Task? _pump;
    private int _scanned;
    private int _cursor;
    private bool _closed;
    private bool _reset;

    private ChatClient(Socket socket, Stream stream, TimeSpan wait)
    {
        Socket = socket;
        Wait = wait;
        _stream = stream;
        Raw = new RawView(this);
    }

    /// <summary>The nick the server gave or confirmed.</summary>
    public string Nick { get; set; } = "";

    /// <summary>Every line read so far (returned by a read, an expect or a sync).</summary>
    public IReadOnlyList<string> Seen => _seen;

    public Socket Socket { get; }

    /// <summary>How long a read waits unless told otherwise.</summary>
    public TimeSpan Wait { get; }

    /// <summary>What the server sent, byte for byte.</summary>
    public RawView Raw { get; }

    /// <summary>
    /// Connects to 127.0.0.1 without reading anything: from <paramref name="from"/> if given, with at most
    /// <paramref name="receiveBuffer"/> bytes of receive buffer if given; the connect and every later
    /// read wait <paramref name="wait"/> (<see cref="DefaultWait"/> if not given).
    /// </summary>
    public static async Task<ChatClient> ConnectRawAsync(int port, IPAddress? from = null, int? receiveBuffer = null, TimeSpan? wait = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBuffer is { } size)
            {
                // Before connecting, so the window the peer advertises is small from the start.
                socket.ReceiveBufferSize = size;
            }

            if (from is not null)
            {
                socket.Bind(new IPEndPoint(from, 0));
            }

            using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            return new ChatClient(socket, new NetworkStream(socket, ownsSocket: true), wait ?? DefaultWait);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A client reading and writing <paramref name="stream"/> (a TLS stream) over <paramref name="socket"/>; the stream owns the socket.</summary>
    public static ChatClient Over(Socket socket, Stream stream, TimeSpan? wait = null) => new(socket, stream, wait ?? DefaultWait);

    /// <summary>Connects and reads the greeting, learning the guest nick.</summary>
    public static async Task<ChatClient> ConnectAsync(int port)
    {
        var client = await ConnectRawAsync(port);
        try
        {
            await client.ExpectGreetingAsync();
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads the greeting; sets and returns the guest nick it gives.</summary>
    public async Task<string> ExpectGreetingAsync()
    {
        var welcome = await ExpectAsync(l => l.StartsWith(Welcome, StringComparison.Ordinal));
        Nick = welcome[Welcome.Length..];
        await ExpectAsync("* type /help for commands");
        return Nick;
    }

    /// <summary>Text as received, invalid UTF-8 shown as U+FFFD.</summary>
    public static string Decode(byte[] bytes) => s_lenient.GetString(bytes);

    /// <summary>Sends <paramref name="line"/> and a LF.</summary>
    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>Sends exactly <paramref name="bytes"/>.</summary>
    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next line, or null once the server has closed (or reset) the connection and every line is read.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null)
    {
        string? line = null;
        await WaitForAsync(
            closed =>
            {
                // Called under the lock.
                if (_cursor < _lines.Count)
                {
                    line = Decode(_lines[_cursor++]);
                    return true;
                }

                return closed;
            },
            "line",
            timeout);
        if (line is not null)
        {
            _seen.Add(line);
        }

        return line;
    }

    /// <summary>Reads until a line matches; fails on timeout or end of stream.</summary>
    public async Task<string> ExpectAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        while (true)
        {
            var line = await ReadLineAsync(timeout) ?? throw new AssertionException($"connection closed; {Transcript()}");
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
                ?? throw new AssertionException($"{Nick}: connection closed while waiting for [{string.Join(" | ", missing)}]; {Transcript()}");
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

    /// <summary>Reads until the server closes (or resets) the connection; returns the lines read on the way.</summary>
    public async Task<IReadOnlyList<string>> ExpectClosedAsync(TimeSpan? timeout = null)
    {
        var before = _seen.Count;
        while (await ReadLineAsync(timeout) is not null)
        {
        }

        return _seen.Skip(before).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Task? pump;
        lock (_gate)
        {
            pump = _pump;
        }

        await _stream.DisposeAsync();
        if (pump is not null)
        {
            // Ends with the socket; it catches what the close throws at it.
            await pump;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits until <paramref name="condition"/>, called under the lock with whether the server closed, holds.</summary>
    private async Task WaitForAsync(Func<bool, bool> condition, string what, TimeSpan? timeout)
    {
        var wait = timeout ?? Wait;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                _pump ??= Task.Run(PumpAsync);
                if (condition(_closed))
                {
                    return;
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            try
            {
                await changed.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                throw new AssertionException($"no {what} within {wait.TotalSeconds} s; {Transcript()}");
            }
        }
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }

                lock (_gate)
                {
                    _received.AddRange(buffer.AsSpan(0, read));
                    SplitLines();
                    Signal();
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            // A reset, or our own dispose, also ends the stream.
            lock (_gate)
            {
                _reset = exception is IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset } }
                    or SocketException { SocketErrorCode: SocketError.ConnectionReset };
            }
        }
        finally
        {
            lock (_gate)
            {
                _closed = true;
                Signal();
            }
        }
    }

    /// <summary>Cuts the complete lines (ended by CRLF) off what is received. Under the lock.</summary>
    private void SplitLines()
    {
        var start = _scanned;
        for (var i = Math.Max(start, 1); i < _received.Count; i++)
        {
            if (_received[i] == '\n' && _received[i - 1] == '\r')
            {
                _lines.Add(_received.GetRange(start, i - 1 - start).ToArray());
                start = i + 1;
            }
        }

        _scanned = start;
    }

    /// <summary>Wakes every waiter. Under the lock.</summary>
    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    /// <summary>The lines received so far and any unfinished line after them, for failure messages.</summary>
    private string Transcript()
    {
        lock (_gate)
        {
            var lines = string.Join(" | ", _lines.Select(Decode));
            var text = _scanned < _received.Count
                ? $"lines so far: [{lines}], then without CRLF: [{Decode(_received.GetRange(_scanned, _received.Count - _scanned).ToArray())}]"
                : $"lines so far: [{lines}]";
            return text.Length > 4000 ? "..." + text[^4000..] : text;
        }
    }

    /// <summary>The byte-level view of a <see cref="ChatClient"/>: what the server sent, exactly, read or not.</summary>
    public sealed class RawView
    {
        private readonly ChatClient _client;

        internal RawView(ChatClient client) => _client = client;

        /// <summary>Every byte received so far.</summary>
        public byte[] Received
        {
            get
            {
                lock (_client._gate)
                {
                    return [.. _client._received];
                }
            }
        }

        /// <summary>Every complete line (ended by CRLF) received so far, read or not, without its CRLF, as bytes.</summary>
        public IReadOnlyList<byte[]> LineBytes
        {
            get
            {
                lock (_client._gate)
                {
                    return [.. _client._lines];
                }
            }
        }

        /// <summary>Every complete line received so far, read or not, decoded as <see cref="Decode"/> does.</summary>
        public IReadOnlyList<string> Lines => LineBytes.Select(Decode).ToList();

        /// <summary>Whether the server ended the connection with a reset (RST) rather than an orderly close (FIN).</summary>
        public bool WasReset
        {
            get
            {
                lock (_client._gate)
                {
                    return _client._reset;
                }
            }
        }
    }
}
