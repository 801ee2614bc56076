using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ChatServer.Tests.BadInput;

/// <summary>
/// A byte-level client over a real loopback socket, for assertions on the exact bytes the server
/// sends (telnet answers, stray 0xFF, raw control bytes), which a <see cref="StreamReader"/> would
/// hide. A pump reads everything the server sends in the background; lines are split on the
/// server's CRLF only, so a lone CR or LF inside a line stays visible in the line. Every wait has
/// a timeout and fails with what was received so far.
/// </summary>
internal sealed class RawConnection : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private static readonly UTF8Encoding s_lenient = new(false, throwOnInvalidBytes: false);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly Lock _gate = new();
    private readonly List<byte> _received = [];
    private readonly List<byte[]> _lines = [];
    private readonly Task _pump;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _scanned;
    private bool _closed;
    private bool _reset;
    private int _cursor;

    private RawConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Every byte received so far.</summary>
    public byte[] Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Every complete line (ended by CRLF) received so far, without its CRLF, as bytes.</summary>
    public IReadOnlyList<byte[]> LineBytes
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Every complete line received so far, decoded leniently (invalid UTF-8 shows as U+FFFD).</summary>
    public IReadOnlyList<string> Lines => LineBytes.Select(Decode).ToList();

    public Socket Socket => _tcp.Client;

    /// <summary>Whether the server ended the connection with a reset (RST) rather than an orderly close (FIN).</summary>
    public bool WasReset
    {
        get
        {
            lock (_gate)
            {
                return _reset;
            }
        }
    }

    /// <summary>Connects without waiting for anything.</summary>
    public static async Task<RawConnection> ConnectAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return new RawConnection(tcp);
    }

    /// <summary>Connects and waits for the end of the greeting.</summary>
    public static async Task<RawConnection> ConnectGreetedAsync(int port)
    {
        var connection = await ConnectAsync(port);
        await connection.ExpectLineAsync("* type /help for commands");
        return connection;
    }

    /// <summary>Connects, waits for the end of the greeting and takes <paramref name="nick"/>.</summary>
    public static async Task<RawConnection> ConnectGreetedAsync(int port, string nick)
    {
        var connection = await ConnectGreetedAsync(port);
        await connection.SendLineAsync($"/nick {nick}");
        await connection.ExpectLineAsync($"* you are now known as {nick}");
        return connection;
    }

    public static string Decode(byte[] bytes) => s_lenient.GetString(bytes);

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    public Task SendLineAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text + "\n"));

    /// <summary>Waits until <paramref name="condition"/> holds for the bytes received so far and whether the server closed.</summary>
    public async Task WaitForAsync(Func<byte[], bool, bool> condition, string what, TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultWait;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition([.. _received], _closed))
                {
                    return;
                }

                if (_closed)
                {
                    throw new AssertionException($"connection closed while waiting for {what}; received: [{Describe()}]");
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
                lock (_gate)
                {
                    throw new AssertionException($"no {what} within {wait.TotalSeconds} s; received: [{Describe()}]");
                }
            }
        }
    }

    /// <summary>Reads (from the line after the last one returned) until a complete line matches; returns it.</summary>
    public async Task<string> ExpectLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        string? found = null;
        await WaitForAsync(
            (_, _) =>
            {
                // Called under the lock.
                while (_cursor < _lines.Count)
                {
                    var line = Decode(_lines[_cursor++]);
                    if (match(line))
                    {
                        found = line;
                        return true;
                    }
                }

                return false;
            },
            "matching line",
            timeout);
        return found!;
    }

    public Task<string> ExpectLineAsync(string line, TimeSpan? timeout = null) => ExpectLineAsync(l => l == line, timeout);

    /// <summary>Sends a ping and reads until its pong; returns the complete lines that arrived between the last line read and the pong.</summary>
    public async Task<IReadOnlyList<string>> SyncAsync(string token = "sync")
    {
        int from;
        lock (_gate)
        {
            from = _cursor;
        }

        await SendLineAsync($"/ping {token}");
        await ExpectLineAsync($"* pong {token}");
        lock (_gate)
        {
            return _lines.Skip(from).Take(_cursor - from - 1).Select(Decode).ToList();
        }
    }

    /// <summary>Waits until the server closes the connection (FIN or reset).</summary>
    public Task ExpectClosedAsync(TimeSpan? timeout = null) => WaitForAsync((_, closed) => closed, "close", timeout);

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        try
        {
            await _pump;
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            // Closed under the pump.
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
            // A reset or our own dispose also ends the stream.
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

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private string Describe()
    {
        var text = Decode([.. _received]);
        return text.Length > 2000 ? "..." + text[^2000..] : text;
    }
}
