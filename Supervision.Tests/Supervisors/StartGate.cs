using System.Threading.Channels;
using Supervision.Tests.Support;

namespace Supervision.Tests.Supervisors;

/// <summary>
/// Makes a child's starts fail on demand, each failing attempt logging <c>attempt:{id}</c> and then
/// holding the supervisor's loop until the test lets it fail (like OTP's <c>supervisor_deadlock</c>,
/// whose failing start is slow). While an attempt is held, requests the test sends queue up behind
/// it, so they are answered after that attempt failed and before the retry: the restart loop's
/// state can be observed without timing.
/// </summary>
public sealed class StartGate
{
    private readonly Lock _lock = new();
    private readonly Channel<bool> _permits = Channel.CreateUnbounded<bool>();
    private int _failuresLeft;

    /// <summary>Makes the next <paramref name="attempts"/> starts fail (each held until <see cref="Release"/>).</summary>
    public void FailNext(int attempts)
    {
        lock (_lock)
        {
            _failuresLeft = attempts;
        }
    }

    /// <summary>Lets <paramref name="attempts"/> held attempts (present or future) fail.</summary>
    public void Release(int attempts = 1)
    {
        for (var i = 0; i < attempts; i++)
        {
            _permits.Writer.TryWrite(true);
        }
    }

    /// <summary>Stops holding attempts: the held one and all later failing ones fail at once. For clean-up.</summary>
    public void Open() => _permits.Writer.TryComplete();

    /// <summary><paramref name="spec"/> with its start routed through this gate.</summary>
    public ChildSpec Wrap(ChildSpec spec, EventLog log) => spec with
    {
        Start = async cancellationToken =>
        {
            bool fail;
            lock (_lock)
            {
                fail = _failuresLeft > 0;
                if (fail)
                {
                    _failuresLeft--;
                }
            }

            if (!fail)
            {
                return await spec.Start(cancellationToken);
            }

            log.Add($"attempt:{spec.Id}");
            try
            {
                await _permits.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(EventLog.DefaultWait, cancellationToken);
            }
            catch (ChannelClosedException)
            {
                // Opened: fail at once.
            }
            catch (TimeoutException)
            {
                // Never released: fail rather than hold the supervisor for ever.
            }

            throw new InvalidOperationException($"{spec.Id} refuses to start");
        },
    };
}
