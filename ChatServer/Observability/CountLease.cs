namespace ChatServer.Observability;

/// <summary>
/// One thing counted in a <see cref="LiveCount"/> (an open connection, a running room) until disposed. Disposed
/// once however often it is asked (a close and a kill may both dispose it); it also releases what it wraps
/// (a connection's per-address slot), so one lease is all a connection carries.
/// </summary>
internal sealed class CountLease : IDisposable
{
    private readonly LiveCount _count;
    private IDisposable? _inner;
    private int _disposed;

    /// <summary>Made by <see cref="LiveCount.Open"/>, which has counted it.</summary>
    internal CountLease(LiveCount count, IDisposable? inner)
    {
        _count = count;
        _inner = inner;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _count.Close();
            Interlocked.Exchange(ref _inner, null)?.Dispose();
        }
    }
}
