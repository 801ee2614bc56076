using System.Buffers;

namespace ChatServer.Network;

/// <summary>
/// Removes telnet commands from the input stream and normalises line ends, with a small state
/// machine that keeps its state across reads. Data passes through; <c>IAC IAC</c> (a literal 0xFF,
/// which is never text in UTF-8), two-byte commands (IP, AYT, BRK, ...) and sub-negotiations are consumed. The server never starts a negotiation, and refuses every option
/// it is offered: <c>DO x</c> is answered <c>WONT x</c> — which for TIMING-MARK is the answer a
/// Linux telnet waits for after Ctrl-C before it shows output again — and <c>WILL x</c> is answered
/// <c>DONT x</c>. LF, CRLF and CR NUL all become LF; a CR followed by anything else stays a CR
/// (a control character, removed later). Bytes 0xFF never occur in UTF-8, so <c>nc</c> users are unaffected.
/// </summary>
public sealed class TelnetFilter
{
    private const byte Iac = 255;
    private const byte Dont = 254;
    private const byte Do = 253;
    private const byte Wont = 252;
    private const byte Will = 251;
    private const byte Sb = 250;
    private const byte Se = 240;
    private const byte CarriageReturn = (byte)'\r';
    private const byte LineFeed = (byte)'\n';

    private State _state;
    private byte _verb;
    private bool _pendingCarriageReturn;

    private enum State
    {
        Data,
        Command,
        Option,
        SubNegotiation,
        SubNegotiationCommand,
    }

    /// <summary>
    /// Filters <paramref name="input"/>: data bytes go to <paramref name="data"/>, and the answers
    /// owed to the peer's negotiation go to <paramref name="replies"/>.
    /// </summary>
    public void Filter(ReadOnlySpan<byte> input, IBufferWriter<byte> data, IBufferWriter<byte> replies)
    {
        var i = 0;
        while (i < input.Length)
        {
            if (_state == State.Data && !_pendingCarriageReturn)
            {
                // The common case: copy the run of plain bytes up to the next IAC or CR in one go.
                var rest = input[i..];
                var special = rest.IndexOfAny(Iac, CarriageReturn);
                var plain = special < 0 ? rest : rest[..special];
                if (!plain.IsEmpty)
                {
                    data.Write(plain);
                    i += plain.Length;
                    continue;
                }
            }

            Step(input[i++], data, replies);
        }
    }

    private void Step(byte b, IBufferWriter<byte> data, IBufferWriter<byte> replies)
    {
        switch (_state)
        {
            case State.Data:
                OnData(b, data);
                break;
            case State.Command:
                _state = b switch
                {
                    Iac => State.Data,
                    >= Will and <= Dont => Remember(b),
                    Sb => State.SubNegotiation,
                    _ => State.Data,
                };
                break;
            case State.Option:
                Answer(_verb, b, replies);
                _state = State.Data;
                break;
            case State.SubNegotiation:
                _state = b == Iac ? State.SubNegotiationCommand : State.SubNegotiation;
                break;
            case State.SubNegotiationCommand:
                _state = b == Se ? State.Data : State.SubNegotiation;
                break;
        }
    }

    private static void Answer(byte verb, byte option, IBufferWriter<byte> replies)
    {
        // WONT and DONT need no answer: nothing was ever enabled.
        if (verb is Do or Will)
        {
            replies.Write([Iac, verb == Do ? Wont : Dont, option]);
        }
    }

    private State Remember(byte verb)
    {
        _verb = verb;
        return State.Option;
    }

    private void OnData(byte b, IBufferWriter<byte> data)
    {
        if (_pendingCarriageReturn)
        {
            _pendingCarriageReturn = false;
            if (b is 0 or LineFeed)
            {
                data.Write([LineFeed]);
                return;
            }

            data.Write([CarriageReturn]);
        }

        switch (b)
        {
            case Iac:
                _state = State.Command;
                break;
            case CarriageReturn:
                _pendingCarriageReturn = true;
                break;
            default:
                data.Write([b]);
                break;
        }
    }
}
