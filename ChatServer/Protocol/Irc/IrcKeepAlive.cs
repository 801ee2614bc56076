namespace ChatServer.Protocol.Irc;

/// <summary>
/// The clocks of one IRC connection (as ngIRCd and InspIRCd keep them): a connection that does not
/// register in time is closed; a registered client silent for the ping interval is sent a PING, and one
/// still silent as long again is closed with <c>Ping timeout</c>. Input costs one timestamp.
/// </summary>
internal sealed class IrcKeepAlive(IrcServer server)
{
    private readonly long _connectedAt = server.Time.GetTimestamp();
    private long _lastInput = server.Time.GetTimestamp();
    private bool _pingSent;

    /// <summary>What the check asks for.</summary>
    public enum Verdict
    {
        /// <summary>Nothing to do.</summary>
        Fine,

        /// <summary>Send the client a PING.</summary>
        Ping,

        /// <summary>Close: registration took too long.</summary>
        RegistrationTimeout,

        /// <summary>Close: no answer to the PING.</summary>
        PingTimeout,
    }

    /// <summary>How often <see cref="Check"/> should run: often enough that no deadline is missed by more than a quarter.</summary>
    public TimeSpan CheckEvery => TimeSpan.FromTicks(Math.Min(server.RegistrationTimeout.Ticks, server.PingInterval.Ticks) / 4);

    /// <summary>Input came from the client.</summary>
    public void Touch()
    {
        _lastInput = server.Time.GetTimestamp();
        _pingSent = false;
    }

    /// <summary>What is due now, for a connection that <paramref name="isRegistered"/> or not.</summary>
    public Verdict Check(bool isRegistered)
    {
        if (!isRegistered)
        {
            return server.Time.GetElapsedTime(_connectedAt) >= server.RegistrationTimeout ? Verdict.RegistrationTimeout : Verdict.Fine;
        }

        var silent = server.Time.GetElapsedTime(_lastInput);
        if (_pingSent)
        {
            return silent >= server.PingInterval * 2 ? Verdict.PingTimeout : Verdict.Fine;
        }

        if (silent >= server.PingInterval)
        {
            _pingSent = true;
            return Verdict.Ping;
        }

        return Verdict.Fine;
    }
}
