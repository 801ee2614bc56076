namespace Supervision;

/// <summary>
/// The reply slot of one call. The handler completes it with <see cref="Send"/> or
/// <see cref="Fail"/>; only the first completion counts, and a reply after the caller timed out is
/// dropped (like OTP 24+ aliases).
/// </summary>
public sealed class Reply<T>
{
    private readonly TaskCompletionSource<T> _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Task<T> Task => _source.Task;

    /// <summary>True once a reply was sent or failed.</summary>
    public bool IsCompleted => _source.Task.IsCompleted;

    /// <summary>Replies with <paramref name="value"/>. Returns false if already replied.</summary>
    public bool Send(T value) => _source.TrySetResult(value);

    /// <summary>Makes the call throw <paramref name="error"/>, without crashing the worker. Returns false if already replied.</summary>
    public bool Fail(Exception error)
    {
        if (!_source.TrySetException(error))
        {
            return false;
        }

        // The caller may have timed out or given up already: nobody else may ever observe this fault.
        _ = _source.Task.Exception;
        return true;
    }
}
