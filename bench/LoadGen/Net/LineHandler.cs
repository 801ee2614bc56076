namespace LoadGen.Net;

/// <summary>
/// Sorts the lines a server sends (notices, errors, payloads) and calls the scenario's hooks. The
/// registration of loadgen.c is <c>/nick</c>, <c>/join</c>, <c>/ping r</c>: the <c>* pong r</c>
/// reply means the connection is registered and in its room.
/// </summary>
internal abstract class LineHandler(RunStats stats)
{
    protected RunStats Stats { get; } = stats;

    /// <summary>One line without its line ending; the span is only valid during the call.</summary>
    public void OnLine(LineConnection connection, ReadOnlySpan<byte> line, long nowNs)
    {
        if (line.Length >= 2 && line[1] == ' ')
        {
            if (line[0] == '*')
            {
                if (line.StartsWith("* pong "u8))
                {
                    Pong(connection, line[7..], nowNs);
                }

                return;
            }

            if (line[0] == '!')
            {
                Stats.ErrorLine(connection.Nick, line);
                if (connection.State == ConnState.Registering)
                {
                    connection.RegistrationError = true;
                }

                return;
            }
        }

        if (Payload.TryParse(line, out var sender, out var seq, out var sentNs))
        {
            OnPayload(connection, sender, seq, sentNs, nowNs);
        }
        else
        {
            Stats.OtherLine();
        }
    }

    /// <summary>Called after the lines of one read were handled: a place to act once per batch.</summary>
    public virtual void OnReceived(LineConnection connection)
    {
    }

    /// <summary>The connection is registered and in its room (<see cref="LineConnection.State"/> is Ready).</summary>
    protected abstract void OnRegistered(LineConnection connection, long nowNs);

    protected virtual void OnPong(LineConnection connection, ReadOnlySpan<byte> token)
    {
    }

    protected virtual void OnPayload(LineConnection connection, uint sender, uint seq, long sentNs, long nowNs) => Stats.OtherLine();

    private void Pong(LineConnection connection, ReadOnlySpan<byte> token, long nowNs)
    {
        if (token.SequenceEqual("r"u8) && connection.State == ConnState.Registering)
        {
            connection.State = ConnState.Ready;
            OnRegistered(connection, nowNs);
        }
        else
        {
            OnPong(connection, token);
        }
    }
}
