using System.Buffers;

namespace ChatServer.Decoding;

/// <summary>
/// The server's side of TRANSMIT-BINARY (RFC 856, option 0), wanted in both directions, negotiated
/// by the rules of RFC 1143 so that an answer is never answered and no loop can start: our request
/// goes out once; the peer's agreement to it is taken silently; a request the peer makes itself is
/// agreed to once; a refusal is taken silently, and switching off an option that was on is
/// acknowledged.
/// </summary>
internal struct TelnetBinaryOption
{
    /// <summary>The option's number.</summary>
    public const byte Code = 0;

    private const byte Iac = 255;
    private const byte Dont = 254;
    private const byte Do = 253;
    private const byte Wont = 252;
    private const byte Will = 251;

    // The server's sending side (its WILL) and the peer's (the peer's WILL).
    private Side _ours;
    private Side _peers;

    private enum Side : byte
    {
        No,
        WantYes,
        Yes,
    }

    /// <summary>Asks for binary both ways: <c>IAC WILL BINARY IAC DO BINARY</c>.</summary>
    public void Request(IBufferWriter<byte> replies)
    {
        _ours = Side.WantYes;
        _peers = Side.WantYes;
        replies.Write([Iac, Will, Code, Iac, Do, Code]);
    }

    /// <summary>Handles the peer's <paramref name="verb"/> (WILL, WONT, DO or DONT) for this option.</summary>
    public void Receive(byte verb, IBufferWriter<byte> replies)
    {
        switch (verb)
        {
            case Do:
                _ours = Enable(_ours, Will, replies);
                break;
            case Dont:
                _ours = Disable(_ours, Wont, replies);
                break;
            case Will:
                _peers = Enable(_peers, Do, replies);
                break;
            case Wont:
                _peers = Disable(_peers, Dont, replies);
                break;
        }
    }

    private static Side Enable(Side side, byte agreement, IBufferWriter<byte> replies)
    {
        if (side == Side.No)
        {
            // The peer asks on its own: agree. An answer to our request, or a repeat, gets none.
            replies.Write([Iac, agreement, Code]);
        }

        return Side.Yes;
    }

    private static Side Disable(Side side, byte acknowledgement, IBufferWriter<byte> replies)
    {
        if (side == Side.Yes)
        {
            // Switching off an option that was on must be acknowledged; a refusal of our request, or
            // a repeat, must not.
            replies.Write([Iac, acknowledgement, Code]);
        }

        return Side.No;
    }
}
