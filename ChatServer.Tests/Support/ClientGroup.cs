using System.Collections;

namespace ChatServer.Tests.Support;

/// <summary>
/// The tests' one cleanup helper: clients a test opens one by one, closed together by the group's
/// <c>await using</c> (in the order they were added), also when an assertion fails half way.
/// </summary>
public sealed class ClientGroup : IAsyncDisposable, IReadOnlyList<ChatClient>
{
    private readonly List<ChatClient> _clients = [];

    public int Count => _clients.Count;

    public ChatClient this[int index] => _clients[index];

    /// <summary>The client whose <see cref="ChatClient.Nick"/> is <paramref name="nick"/>.</summary>
    public ChatClient this[string nick] => _clients.Single(c => c.Nick == nick);

    /// <summary>Adds <paramref name="client"/> and returns it.</summary>
    public ChatClient Add(ChatClient client)
    {
        _clients.Add(client);
        return client;
    }

    /// <summary>
    /// Waits for each connect in turn, at most <paramref name="wait"/> each, and adds its client. If one
    /// fails, the clients of the connects that did complete are added all the same, so the group closes them.
    /// </summary>
    public async Task AddAllAsync(IReadOnlyList<Task<ChatClient>> connecting, TimeSpan wait)
    {
        try
        {
            foreach (var connect in connecting)
            {
                Add(await connect.WaitAsync(wait));
            }
        }
        catch
        {
            foreach (var connect in connecting.Where(c => c.IsCompletedSuccessfully && !_clients.Contains(c.Result)))
            {
                Add(connect.Result);
            }

            throw;
        }
    }

    /// <summary>
    /// A ping barrier for each client in turn: whatever the earlier steps queued for any of them
    /// (join and rename notices) is read away, so a later assertion sees only what follows.
    /// </summary>
    public async Task SyncAllAsync()
    {
        foreach (var client in _clients)
        {
            await client.SyncAsync("settle");
        }
    }

    public IEnumerator<ChatClient> GetEnumerator() => _clients.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        _clients.Clear();
    }
}
