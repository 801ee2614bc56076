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
}
