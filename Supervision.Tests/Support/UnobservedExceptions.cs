using System.Collections.Concurrent;

namespace Supervision.Tests.Support;

/// <summary>Records <see cref="TaskScheduler.UnobservedTaskException"/> while alive; <see cref="AssertNone"/> collects garbage first so that abandoned faulted tasks are finalised.</summary>
public sealed class UnobservedExceptions : IDisposable
{
    private readonly ConcurrentQueue<Exception> _seen = new();

    public UnobservedExceptions() => TaskScheduler.UnobservedTaskException += OnUnobserved;

    public void AssertNone()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        _seen.Should().BeEmpty();
    }

    public void Dispose() => TaskScheduler.UnobservedTaskException -= OnUnobserved;

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => _seen.Enqueue(e.Exception);
}
