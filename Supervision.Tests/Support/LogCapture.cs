using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Supervision.Tests.Support;

/// <summary>
/// A logger factory that keeps every record (category, level, event id, formatted message,
/// exception), at every level, for assertions on what is logged. Built on
/// <see cref="FakeLogCollector"/>; waits are bounded and fail with every message seen. One file for
/// both test projects: ChatServer.Tests compiles it too (a link in its project file).
/// </summary>
public sealed class LogCapture : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly FakeLogCollector _collector = new();
    private readonly FakeLoggerProvider _provider;
    private readonly LoggerFactory _factory;

    public LogCapture()
    {
        _provider = new FakeLoggerProvider(_collector);
        _factory = new LoggerFactory([_provider], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
    }

    /// <summary>The factory to give the code under test.</summary>
    public ILoggerFactory Factory => _factory;

    /// <summary>Every record so far, in order.</summary>
    public IReadOnlyList<FakeLogRecord> Records => _collector.GetSnapshot();

    /// <summary>The event ids recorded, in order.</summary>
    public IReadOnlyList<int> EventIds => Records.Select(r => r.Id.Id).ToList();

    /// <summary>The records so far with event id <paramref name="eventId"/> (one of the product's <c>...LogEvents</c> constants).</summary>
    public IReadOnlyList<FakeLogRecord> WithId(int eventId) => Records.Where(r => r.Id.Id == eventId).ToList();

    /// <summary>Waits until a record matches (one logged before the call counts); fails with every message after <paramref name="timeout"/>.</summary>
    public async Task<FakeLogRecord> ExpectAsync(Func<FakeLogRecord, bool> match, TimeSpan? timeout = null)
    {
        var wait = timeout ?? DefaultWait;
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            await foreach (var record in _collector.GetLogsAsync(cancel.Token))
            {
                if (match(record))
                {
                    return record;
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Reported below.
        }

        throw new AssertionException($"no matching log record within {wait.TotalSeconds} s; messages: [{string.Join(" | ", Records.Select(r => r.Message))}]");
    }

    public void Dispose()
    {
        _factory.Dispose();
        _provider.Dispose();
    }
}
