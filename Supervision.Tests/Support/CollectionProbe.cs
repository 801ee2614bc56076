namespace Supervision.Tests.Support;

/// <summary>
/// Proof that code a test abandoned (a killed process's loop, which .NET cannot stop) has finished
/// and let go of what it held: capture <see cref="NewToken"/> in that code only, and
/// <see cref="WaitAsync"/> collects garbage until the token's finaliser has run. Whatever the
/// abandoned code held together with the token (a faulted task nobody awaits) is then garbage too.
/// </summary>
public sealed class CollectionProbe
{
    private readonly TaskCompletionSource _collected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>An object to capture; keep no other reference to it.</summary>
    public object NewToken() => new Token(_collected);

    /// <summary>Forces full collections until the token has been finalised; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_collected.Task.IsCompleted)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new AssertionException($"the abandoned code still held its token after {timeout.TotalSeconds} s");
            }

            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();

            // The abandoned code runs on the thread pool: give it a moment between collections, waking early at the finaliser's signal.
            await Task.WhenAny(_collected.Task, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }
    }

    private sealed class Token(TaskCompletionSource collected)
    {
        ~Token() => collected.TrySetResult();
    }
}
