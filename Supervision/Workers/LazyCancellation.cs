namespace Supervision;

/// <summary>
/// A cancellation source made on first use of its token: most workers never hand out their
/// <c>Stopping</c> or <c>Killed</c> token while idle, so an idle worker holds no source. A field of
/// this type must not be copied (it is mutated in place). Thread-safe: <see cref="Cancel"/> and
/// <see cref="Token"/> may race, and a token handed out around a cancel is cancelled either way.
/// </summary>
internal struct LazyCancellation
{
    /// <summary>The source behind <see cref="Token"/>, made on its first read; null until then.</summary>
    private CancellationTokenSource? _source;

    /// <summary>1 once <see cref="Cancel"/> was called; never goes back to 0.</summary>
    private int _cancelled;

    public bool IsCancellationRequested => Volatile.Read(ref _cancelled) == 1;

    public CancellationToken Token
    {
        get
        {
            if (IsCancellationRequested)
            {
                return new CancellationToken(canceled: true);
            }

            var source = Volatile.Read(ref _source);
            if (source is null)
            {
                var created = new CancellationTokenSource();
                source = Interlocked.CompareExchange(ref _source, created, null) ?? created;
            }

            // A cancel that ran before the source was published did not see it: cancel it here.
            if (IsCancellationRequested)
            {
                CancelQuietly(source);
            }

            return source.Token;
        }
    }

    public void Cancel()
    {
        if (Interlocked.Exchange(ref _cancelled, 1) == 1)
        {
            return;
        }

        if (Volatile.Read(ref _source) is { } source)
        {
            CancelQuietly(source);
        }
    }

    /// <summary>Cancels <paramref name="source"/>; a callback that throws, or a source disposed meanwhile, does not stop the caller.</summary>
    public static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (AggregateException)
        {
            // A callback registered on the token threw; the stop goes on regardless.
        }
        catch (ObjectDisposedException)
        {
            // The source's scope ended meanwhile (a start that finished): nothing left to cancel.
        }
    }
}
