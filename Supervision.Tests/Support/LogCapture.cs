using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Supervision.Tests.Support;

/// <summary>
/// A logger factory for <c>LoggerFactory</c> options that keeps every record (level, event id,
/// message, exception), at every level, for a test to read.
/// </summary>
public sealed class LogCapture : IDisposable
{
    private readonly FakeLogCollector _collector = new();
    private readonly FakeLoggerProvider _provider;
    private readonly LoggerFactory _factory;

    public LogCapture()
    {
        _provider = new FakeLoggerProvider(_collector);
        _factory = new LoggerFactory([_provider], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
    }

    public ILoggerFactory Factory => _factory;

    public IReadOnlyList<FakeLogRecord> Records => _collector.GetSnapshot();

    /// <summary>The event ids recorded, in order.</summary>
    public IReadOnlyList<int> EventIds => Records.Select(r => r.Id.Id).ToList();

    public IReadOnlyList<FakeLogRecord> WithId(int eventId) => Records.Where(r => r.Id.Id == eventId).ToList();

    public void Dispose()
    {
        _factory.Dispose();
        _provider.Dispose();
    }
}
