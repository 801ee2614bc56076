using System.Buffers;

namespace ChatServer.Decoding;

/// <summary>
/// Removes telnet commands from the input stream and normalises line ends, with a small state
/// machine that keeps its state across reads. Data passes through; <c>IAC IAC</c> (a literal 0xFF,
/// which is never text in UTF-8), two-byte commands (IP, AYT, BRK, ...) and sub-negotiations are
/// consumed. LF, CRLF and CR NUL all become LF; a CR followed by anything else stays a CR (a control
/// character, removed later).
/// <para>
/// Linux telnet (GNU inetutils) outside BINARY mode strips every typed byte to 7 bits to look for
/// its special keys, so a UTF-8 continuation byte such as 0x83 (in <c>у</c>) goes out as
/// <c>IAC IP</c> and text arrives broken; in BINARY mode it sends UTF-8 as typed. So, once the peer
/// shows it is a telnet client (its first IAC, or a first line ended by CRLF or CR NUL, the way
/// telnet ends lines; <c>nc</c> ends them with LF, and an HTTP request line does not count), the
/// filter offers BINARY both ways, once: <c>IAC WILL BINARY IAC DO BINARY</c>, unless told not to.
/// For what telnet sends before it takes the offer, or when it is off, a command that arrives inside
/// a UTF-8 sequence is turned back into the byte it stood for (see <see cref="StrippedKeyRepair"/>).
/// </para>
/// <para>
/// Every other option is refused: <c>DO x</c> is answered <c>WONT x</c> (which for TIMING-MARK is
/// the answer a Linux telnet waits for after Ctrl+C before it shows output again) and <c>WILL x</c>
/// is answered <c>DONT x</c>. Answers to the offer are taken without answering them (RFC 1143).
/// </para>
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

    private readonly bool _offerBinary;
    private State _state;
    private byte _verb;
    private bool _pendingCarriageReturn;
    private bool _firstLineEndAwaited;
    private bool _offered;
    private LineStart _firstLine;
    private Utf8SequenceTracker _utf8;
    private TelnetBinaryOption _binary;

    /// <summary>Creates a filter for one connection.</summary>
    /// <param name="offerBinary">
    /// Whether to offer BINARY to a peer that shows it is a telnet client; when <see langword="false"/>
    /// the filter never starts a negotiation and refuses BINARY like every other option.
    /// </param>
    public TelnetFilter(bool offerBinary)
    {
        _offerBinary = offerBinary;
        _firstLineEndAwaited = offerBinary;
    }

    private enum State
    {
        Data,
        Command,
        Option,
        SubNegotiation,
        SubNegotiationCommand,
    }

    /// <summary>
    /// Filters <paramref name="input"/>: data bytes go to <paramref name="data"/>, and the bytes owed
    /// to the peer (answers to its negotiation, and the BINARY offer) go to <paramref name="replies"/>.
    /// </summary>
    public void Filter(ReadOnlySpan<byte> input, IBufferWriter<byte> data, IBufferWriter<byte> replies)
    {
        var i = 0;
        while (i < input.Length)
        {
            if (_state == State.Data && !_pendingCarriageReturn)
            {
                // The common case: copy the run of plain bytes up to the next IAC or CR in one go
                // (or LF, while the first line end may still decide on the offer).
                var rest = input[i..];
                var special = _firstLineEndAwaited ? rest.IndexOfAny(Iac, CarriageReturn, LineFeed) : rest.IndexOfAny(Iac, CarriageReturn);
                var plain = special < 0 ? rest : rest[..special];
                if (!plain.IsEmpty)
                {
                    Emit(plain, data);
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
                OnData(b, data, replies);
                break;
            case State.Command:
                OnCommand(b, data);
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

    private void OnCommand(byte b, IBufferWriter<byte> data)
    {
        // Inside a UTF-8 sequence a command is a continuation byte telnet mistook for a key.
        if (_utf8.InsideSequence && StrippedKeyRepair.OriginalByte(b) is { } original)
        {
            Emit(original, data);
            _state = State.Data;
            return;
        }

        _state = b switch
        {
            Iac => State.Data,
            >= Will and <= Dont => Remember(b),
            Sb => State.SubNegotiation,
            _ => State.Data,
        };
    }

    private void Answer(byte verb, byte option, IBufferWriter<byte> replies)
    {
        if (_offerBinary && option == TelnetBinaryOption.Code)
        {
            _binary.Receive(verb, replies);
            return;
        }

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

    private void OnData(byte b, IBufferWriter<byte> data, IBufferWriter<byte> replies)
    {
        if (_pendingCarriageReturn)
        {
            _pendingCarriageReturn = false;
            if (b is 0 or LineFeed)
            {
                // CRLF or CR NUL: telnet's line end, unless it ends an HTTP request line (browsers, probes).
                if (_firstLineEndAwaited)
                {
                    _firstLineEndAwaited = false;
                    if (!_firstLine.LooksLikeHttp)
                    {
                        OfferBinary(replies);
                    }
                }

                Emit(LineFeed, data);
                return;
            }

            Emit(CarriageReturn, data);
        }

        switch (b)
        {
            case Iac:
                OfferBinary(replies);
                _state = State.Command;
                break;
            case CarriageReturn:
                _pendingCarriageReturn = true;
                break;
            case LineFeed:
                // A bare LF, the way nc ends lines: the first line end says this is not telnet.
                _firstLineEndAwaited = false;
                Emit(b, data);
                break;
            default:
                Emit(b, data);
                break;
        }
    }

    private void OfferBinary(IBufferWriter<byte> replies)
    {
        _firstLineEndAwaited = false;
        if (_offerBinary && !_offered)
        {
            _offered = true;
            _binary.Request(replies);
        }
    }

    private void Emit(byte b, IBufferWriter<byte> data) => Emit([b], data);

    private void Emit(ReadOnlySpan<byte> bytes, IBufferWriter<byte> data)
    {
        data.Write(bytes);
        _utf8.Add(bytes);
        if (_firstLineEndAwaited)
        {
            _firstLine.Add(bytes);
        }
    }
}
