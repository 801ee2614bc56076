using ChatServer.Observability;
using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Clients;

/// <summary>The input side of <see cref="ClientWorker"/>: running input lines under flood control (dropped, or held as IRC does) and the idle check.</summary>
public sealed partial class ClientWorker
{
    /// <summary>Runs an input line unless it was not <paramref name="admitted"/> or the person quit; the reader may then read one more.</summary>
    private async Task HandleLineAsync(string text, bool admitted)
    {
        try
        {
            if (admitted && !_quitting)
            {
                await _adapter.HandleLineAsync(text).ConfigureAwait(false);
            }
        }
        finally
        {
            _reader.LineHandled();
        }
    }

    /// <summary>IRC's flood control: the line runs now, or is held (unacknowledged) until a token is free, or the peer is cut off.</summary>
    private async Task OfferDelayedAsync(string text)
    {
        switch (_floodDelay!.Offer(text))
        {
            case FloodDelay.Outcome.Run:
                await HandleLineAsync(text, admitted: true).ConfigureAwait(false);
                break;
            case FloodDelay.Outcome.Held:
                if (_floodDelay.DelayedInRow == 1)
                {
                    ClientLog.SlowDown(_logger, _connection.RemoteEndPoint, Nick);
                }

                break;
            default:
                _reader.LineHandled();
                ClientLog.Flooding(_logger, _connection.RemoteEndPoint, Nick, _floodDelay.DelayedInRow);
                ChatMetrics.FloodKicks.Add(1);
                Write(_adapter.Disconnected(DisconnectReason.Flooding));
                _leaveReason = "flooding";
                Stop(ExitReason.ShutdownWith("flooding"));
                break;
        }
    }

    /// <summary>Flood control for one line (blank lines are never held back: callers skip them); a dropped line is answered, and a peer that keeps on is cut off.</summary>
    private bool AdmitLine()
    {
        if (_flood is null)
        {
            return true;
        }

        switch (_flood.Admit())
        {
            case FloodGate.Verdict.Admitted:
                return true;
            case FloodGate.Verdict.Kick:
                ClientLog.Flooding(_logger, _connection.RemoteEndPoint, Nick, _flood.Streak);
                ChatMetrics.FloodKicks.Add(1);
                Write(_adapter.Disconnected(DisconnectReason.Flooding));
                _leaveReason = "flooding";
                Stop(ExitReason.ShutdownWith("flooding"));
                return false;
            case FloodGate.Verdict.FirstDropped:
                ClientLog.SlowDown(_logger, _connection.RemoteEndPoint, Nick);
                Write(_adapter.SlowDown());
                return false;
            default:
                Write(_adapter.SlowDown());
                return false;
        }
    }

    private void CheckIdle()
    {
        if (_idle is null || !_idle.IsExpired())
        {
            return;
        }

        ClientLog.IdleTimeout(_logger, _connection.RemoteEndPoint, Nick, _idle.Timeout);
        Write(_adapter.Disconnected(DisconnectReason.IdleTimeout, _idle.Timeout));
        _leaveReason = "idle timeout";
        Stop(ExitReason.ShutdownWith("idle timeout"));
    }
}
