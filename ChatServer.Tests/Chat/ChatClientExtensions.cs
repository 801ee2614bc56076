using ChatServer.Tests.Support;

namespace ChatServer.Tests.Chat;

internal static class ChatClientExtensions
{
    /// <summary>Reads until every one of <paramref name="expected"/> has arrived, in any order; returns every line read.</summary>
    public static async Task<IReadOnlyList<string>> ExpectAllAsync(this ChatClient client, params string[] expected)
    {
        var missing = new List<string>(expected);
        var read = new List<string>();
        while (missing.Count > 0)
        {
            var line = await client.ReadLineAsync()
                ?? throw new AssertionException($"connection closed while waiting for [{string.Join(" | ", missing)}]; lines so far: [{string.Join(" | ", client.Seen)}]");
            read.Add(line);
            missing.Remove(line);
        }

        return read;
    }

    /// <summary>
    /// Reads away what is already queued for the client (a ping barrier through its current room),
    /// then sends <paramref name="line"/> and returns what arrived before a second barrier: the answer.
    /// </summary>
    public static async Task<IReadOnlyList<string>> CommandAsync(this ChatClient client, string line)
    {
        await client.SyncAsync("before");
        await client.SendAsync(line);
        return await client.SyncAsync("after");
    }
}
