using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.Abuse;

/// <summary>
/// A bare TCP peer for the abuse tests: it can bind a chosen local loopback address, shrink its
/// receive buffer, and read lines (each read with a timeout) or not read at all.
/// </summary>
public sealed class RawPeer : IAsyncDisposable
{
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly List<string> _seen = [];

    private RawPeer(Socket socket)
    {
        Socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, new UTF8Encoding(false));
    }

    public Socket Socket { get; }

    /// <summary>Every line read so far.</summary>
    public IReadOnlyList<string> Seen => _seen;

    /// <summary>Connects to the server on 127.0.0.1, from <paramref name="from"/> if given, with at most <paramref name="receiveBuffer"/> bytes of receive buffer if given.</summary>
    public static async Task<RawPeer> ConnectAsync(int port, IPAddress? from = null, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
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

            using var timeout = new CancellationTokenSource(TestServer.Wait);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            return new RawPeer(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>The next line, or null at end of stream (or a reset).</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var cancel = new CancellationTokenSource(TestServer.Wait);
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
            throw new AssertionException($"no line within {TestServer.Wait.TotalSeconds} s; lines so far: [{string.Join(" | ", _seen)}]");
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads until a line equals <paramref name="expected"/>; fails on timeout or end of stream.</summary>
    public async Task ExpectAsync(string expected)
    {
        while (await ReadLineAsync() is { } line)
        {
            if (line == expected)
            {
                return;
            }
        }

        throw new AssertionException($"connection closed before [{expected}]; lines so far: [{string.Join(" | ", _seen)}]");
    }

    /// <summary>Reads until the server closes the connection; returns the lines read on the way.</summary>
    public async Task<IReadOnlyList<string>> ExpectClosedAsync()
    {
        var before = _seen.Count;
        while (await ReadLineAsync() is not null)
        {
        }

        return _seen.Skip(before).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
    }
}
