using System.Text;

namespace ChatServer.Tests.Support;

/// <summary>
/// The tests' IRC client over a real loopback socket: sends lines with CR LF, reads parsed replies. Every
/// wait has a timeout and fails with what was received so far (the reading is <see cref="ChatClient"/>'s).
/// </summary>
public sealed class IrcClient : IAsyncDisposable
{
    private int _syncs;

    private IrcClient(ChatClient connection) => Connection = connection;

    /// <summary>The socket underneath, with its byte-level view.</summary>
    public ChatClient Connection { get; }

    /// <summary>The nick this client registered with (or changed to through <see cref="RegisterAsync"/>).</summary>
    public string Nick { get; private set; } = "*";

    /// <summary>Connects to the IRC port <paramref name="port"/> without sending anything.</summary>
    public static async Task<IrcClient> ConnectAsync(int port) => new(await ChatClient.ConnectRawAsync(port));

    /// <summary>An IRC client on a connection already open (a TLS one).</summary>
    public static IrcClient Over(ChatClient connection) => new(connection);

    /// <summary>Sends <paramref name="line"/> and CR LF.</summary>
    public Task SendAsync(string line) => Connection.SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    /// <summary>The next reply; null once the server closed the connection.</summary>
    public async Task<IrcReply?> ReadAsync() => await Connection.ReadLineAsync() is { } line ? IrcReply.Parse(line) : null;

    /// <summary>Reads until a reply with <paramref name="command"/> (and matching <paramref name="match"/>) arrives.</summary>
    public async Task<IrcReply> ExpectAsync(string command, Func<IrcReply, bool>? match = null) =>
        IrcReply.Parse(await Connection.ExpectAsync(line =>
        {
            var reply = IrcReply.Parse(line);
            return reply.Command == command && (match?.Invoke(reply) ?? true);
        }));

    /// <summary>
    /// Registers as <paramref name="nick"/>, requesting <paramref name="capabilities"/> first when there are any,
    /// and reads the welcome up to its end (the MOTD's or 422).
    /// </summary>
    public async Task<IReadOnlyList<IrcReply>> RegisterAsync(string nick, params string[] capabilities)
    {
        var before = Connection.Seen.Count;
        if (capabilities.Length > 0)
        {
            await SendAsync("CAP LS 302");
            await SendAsync($"CAP REQ :{string.Join(' ', capabilities)}");
        }

        await SendAsync($"NICK {nick}");
        await SendAsync($"USER {nick} 0 * :{nick} Real");
        if (capabilities.Length > 0)
        {
            await ExpectAsync("CAP", reply => reply.Params[1] == "ACK");
            await SendAsync("CAP END");
        }

        await Connection.ExpectAsync(line => IrcReply.Parse(line).Command is "422" or "376");
        Nick = nick;
        return [.. Connection.Seen.Skip(before).Select(IrcReply.Parse)];
    }

    /// <summary>
    /// Reads away what the server already queued for this client (a PING barrier: the server answers it
    /// only after everything said before was delivered), then returns what arrived before the PONG.
    /// </summary>
    public async Task<IReadOnlyList<IrcReply>> SyncAsync()
    {
        var token = $"sync{++_syncs}";
        var before = Connection.Seen.Count;
        await SendAsync($"PING {token}");
        await ExpectAsync("PONG", reply => reply.Trailing == token);
        return [.. Connection.Seen.Skip(before).SkipLast(1).Select(IrcReply.Parse)];
    }

    /// <summary>Sends <paramref name="line"/> and returns every reply up to a PING barrier after it.</summary>
    public async Task<IReadOnlyList<IrcReply>> CommandAsync(string line)
    {
        await SyncAsync();
        await SendAsync(line);
        return await SyncAsync();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
