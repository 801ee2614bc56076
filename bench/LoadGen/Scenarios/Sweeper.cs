using LoadGen.Net;

namespace LoadGen.Scenarios;

/// <summary>
/// Every 100 ms, ends the connections that overran their deadline, as loadgen.c's sweep does: one
/// still connecting or registering fails with "timeout"; one that sent /quit and was not closed by
/// the server is closed here and counted as a quit timeout.
/// </summary>
internal sealed class Sweeper : IDisposable
{
    private readonly LineConnection?[] _connections;
    private readonly RunStats _stats;
    private readonly Action? _onQuitTimeout;
    private readonly Timer _timer;

    public Sweeper(LineConnection?[] connections, RunStats stats, Action? onQuitTimeout = null)
    {
        _connections = connections;
        _stats = stats;
        _onQuitTimeout = onQuitTimeout;
        _timer = new Timer(_ => Sweep(), null, 100, 100);
    }

    public void Dispose() => _timer.Dispose();

    private void Sweep()
    {
        var now = Clock.NowNs();
        foreach (var connection in _connections)
        {
            if (connection is null || connection.IsClosed || now <= connection.DeadlineNs)
            {
                continue;
            }

            switch (connection.State)
            {
                case ConnState.Connecting or ConnState.Registering:
                    _stats.Sample("register timeout");
                    connection.Abort(LossReason.Timeout);
                    break;
                case ConnState.Quitting:
                    _onQuitTimeout?.Invoke();
                    connection.Abort(LossReason.Eof);
                    break;
                default:
                    break;
            }
        }
    }
}
