namespace LoadGen;

/// <summary>
/// How .NET's socket engine runs our reads, set before the first socket exists (the engine reads
/// these variables once; an explicit setting in the environment wins).
/// </summary>
internal static class SocketEngine
{
    public static void Configure()
    {
        // Run read continuations on the epoll thread instead of handing each to the thread pool:
        // no hand-off per read, and while the thread works through a batch of ready sockets, more
        // data piles up in the others, so reads get bigger, as in loadgen.c's single epoll loop.
        SetDefault("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        // One epoll thread (inline mode would default to one per core): the server needs the other core.
        SetDefault("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", "1");
    }

    private static void SetDefault(string variable, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            Environment.SetEnvironmentVariable(variable, value);
        }
    }
}
