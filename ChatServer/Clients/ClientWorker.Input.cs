using ChatServer.Observability;
using ChatServer.Protocol;
using Supervision;

namespace ChatServer.Clients;

/// <summary>The input side of <see cref="ClientWorker"/>: control messages, running input lines under flood control (dropped, or held as IRC does) and the idle check.</summary>
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

    /// <summary>A control message: input and its flood control, postponement behind a queued reply, timers, the peer's close, service restarts.</summary>
    private async ValueTask HandleControlAsync(ClientMessage control)
    {
        if (control is ClientMessage.LineReceived or ClientMessage.LineTooLong or ClientMessage.FloodRelease && _postponed is { Waiting: true } postponed)
        {
            postponed.Postpone(control);
            return;
        }

        // A command may wait on another worker: what is written so far goes out first (a resumed one's too).
        _connection.Output.Flush();
        switch (control)
        {
            case ClientMessage.LineReceived line:
                _idle?.Touch();
                if (_floodDelay is not null && !_quitting && !string.IsNullOrWhiteSpace(line.Text))
                {
                    await OfferDelayedAsync(line.Text).ConfigureAwait(false);
                    break;
                }

                await HandleLineAsync(line.Text, admitted: string.IsNullOrWhiteSpace(line.Text) || AdmitLine()).ConfigureAwait(false);
                break;
            case ClientMessage.FloodRelease:
                while (!_quitting && _floodDelay?.NextReady() is { } held)
                {
                    await HandleLineAsync(held, admitted: true).ConfigureAwait(false);
                    if (_postponed is { Waiting: true } waiting)
                    {
                        // That line's reply waits behind queued mail: the held lines after it wait for it too.
                        waiting.Postpone(new ClientMessage.FloodRelease());
                        break;
                    }
                }

                break;
            case ClientMessage.LineTooLong:
                _reader.LineHandled();
                _idle?.Touch();
                if (AdmitLine())
                {
                    ClientLog.LineTooLong(_logger, _connection.RemoteEndPoint, Nick, _options.MaxLineBytes);
                    Write(_adapter.LineTooLong(_options.MaxLineBytes));
                }

                break;
            case ClientMessage.RawReply reply:
                WriteQueued(reply.Bytes);
                break;
            case ClientMessage.Deferred deferred:
                Write(deferred.Line);
                _postponed!.ReplyReached();
                while (!IsStopRequested && _postponed.TryResume(out var command))
                {
                    await HandleControlAsync(command).ConfigureAwait(false);
                }

                break;
            case ClientMessage.WrongProtocol wrong:
                RefuseProtocol(wrong.Protocol);
                break;
            case ClientMessage.IdleCheck:
                CheckIdle();
                break;
            case ClientMessage.ProtocolTimer:
                _adapter.OnTimer();
                break;
            case ClientMessage.PeerClosed:
                if (!_quitting)
                {
                    // After a /quit the rooms are told the quit's reason (or none), even if the close came first.
                    _leaveReason ??= "connection closed";
                }

                LeaveAfterQueued();
                break;
            case ClientMessage.Leave:
                if (_quitting)
                {
                    Write(_adapter.Bye());
                }

                Stop(ExitReason.Normal);
                break;
            case ClientMessage.RoomDown down:
                await _session.OnRoomDownAsync(down.Down).ConfigureAwait(false);
                break;
            case ClientMessage.PresenceDown:
                await _session.OnPresenceDownAsync().ConfigureAwait(false);
                break;
            case ClientMessage.RegisterAgain:
                await _session.OnNickRevokedAsync().ConfigureAwait(false);
                break;
        }
    }
}
