namespace ChatServer.Clients;

/// <summary>
/// Flood control as IRC servers do it (ngIRCd's penalties, InspIRCd's fakelag): a line beyond the
/// flood gate's rate is held and run later, in order, instead of dropped, because a dropped JOIN or
/// PONG would leave an IRC client out of step with the server. Held lines are not acknowledged to the
/// reader, so a flooder's further input waits in its own socket. A peer that has had
/// <c>kick</c> lines in a row delayed is to be cut off (<c>Excess Flood</c>).
/// Lives on the owner's loop; the timer only wakes it (<c>wake</c>).
/// </summary>
internal sealed class FloodDelay(FloodGate gate, int kickAfter, TimeProvider time, Action wake) : IDisposable
{
    /// <summary>Lines waiting for a token, oldest first.</summary>
    private readonly Queue<string> _held = new();

    /// <summary>Wakes the owner when the next token is due; made on first use.</summary>
    private ITimer? _timer;

    /// <summary>Lines delayed in a row: reset by a line that runs on arrival.</summary>
    private int _delayedInRow;

    /// <summary>What became of a line offered.</summary>
    public enum Outcome
    {
        /// <summary>Run it now.</summary>
        Run,

        /// <summary>Held: it runs later, from <see cref="NextReady"/>.</summary>
        Held,

        /// <summary>Too many lines delayed in a row: cut the peer off.</summary>
        Kick,
    }

    /// <summary>Lines delayed in a row so far.</summary>
    public int DelayedInRow => _delayedInRow;

    /// <summary>Offers <paramref name="text"/>: it runs now when nothing is held and a token is free.</summary>
    public Outcome Offer(string text)
    {
        if (_held.Count == 0 && gate.Admit() == FloodGate.Verdict.Admitted)
        {
            _delayedInRow = 0;
            return Outcome.Run;
        }

        if (++_delayedInRow >= kickAfter)
        {
            return Outcome.Kick;
        }

        _held.Enqueue(text);
        Arm();
        return Outcome.Held;
    }

    /// <summary>The next held line once its token is free, or null (then the timer is armed again, or nothing is held).</summary>
    public string? NextReady()
    {
        if (_held.Count == 0)
        {
            return null;
        }

        if (gate.Admit() == FloodGate.Verdict.Admitted)
        {
            return _held.Dequeue();
        }

        Arm();
        return null;
    }

    /// <inheritdoc />
    public void Dispose() => _timer?.Dispose();

    private void Arm()
    {
        _timer ??= time.CreateTimer(static state => ((Action)state!)(), wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(gate.TokenPeriod, Timeout.InfiniteTimeSpan);
    }
}
