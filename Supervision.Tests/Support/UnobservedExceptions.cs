using System.Collections.Concurrent;

namespace Supervision.Tests.Support;

/// <summary>
/// Records <see cref="TaskScheduler.UnobservedTaskException"/> while alive; <see cref="AssertNone"/>
/// forces full collections first so that abandoned faulted tasks are finalised (the event is raised
/// by a faulted task's finaliser). A task still referenced is not seen: see <see cref="CollectionProbe"/>.
/// </summary>
public sealed class UnobservedExceptions : IDisposable
{
    private readonly ConcurrentQueue<Exception> _seen = new();

    public UnobservedExceptions() => TaskScheduler.UnobservedTaskException += OnUnobserved;

    public void AssertNone()
    {
        // Several rounds: a finaliser may make more objects unreachable.
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
        }

        _seen.Should().BeEmpty();
    }

    public void Dispose() => TaskScheduler.UnobservedTaskException -= OnUnobserved;

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => _seen.Enqueue(e.Exception);
}
