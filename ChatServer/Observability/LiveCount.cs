namespace ChatServer.Observability;

/// <summary>How many of something are live now (connections, rooms): read by an observable instrument at each collection.</summary>
internal sealed class LiveCount
{
    private long _value;

    /// <summary>The count now.</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>One more, until the returned lease is disposed (once); it releases <paramref name="inner"/> (or null) with it.</summary>
    public CountLease Open(IDisposable? inner = null)
    {
        Interlocked.Increment(ref _value);
        return new CountLease(this, inner);
    }

    /// <summary>One fewer.</summary>
    internal void Close() => Interlocked.Decrement(ref _value);
}
