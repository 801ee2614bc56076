namespace ChatServer.Tests.Support;

/// <summary>Telnet command bytes as RFC 854 numbers them, written out independently of the server's filter.</summary>
public static class TelnetBytes
{
    public const byte Iac = 0xFF;
    public const byte Dont = 0xFE;
    public const byte Do = 0xFD;
    public const byte Wont = 0xFC;
    public const byte Will = 0xFB;
    public const byte Sb = 0xFA;
    public const byte Se = 0xF0;
    public const byte Nop = 0xF1;
    public const byte Brk = 0xF3;
    public const byte Ip = 0xF4;
    public const byte Ao = 0xF5;
    public const byte Ayt = 0xF6;
    public const byte Abort = 0xEE;
    public const byte Susp = 0xED;
    public const byte Eof = 0xEC;

    /// <summary>TRANSMIT-BINARY (RFC 856).</summary>
    public const byte Binary = 0x00;

    /// <summary>TIMING-MARK (RFC 860).</summary>
    public const byte TimingMark = 0x06;

    /// <summary>The server's offer to a telnet client: <c>IAC WILL BINARY IAC DO BINARY</c>.</summary>
    public static readonly byte[] BinaryOffer = [Iac, Will, Binary, Iac, Do, Binary];
}
