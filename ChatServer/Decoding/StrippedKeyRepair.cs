namespace ChatServer.Decoding;

/// <summary>
/// Gives back the byte a telnet command stood for when Linux <c>telnet</c> (GNU inetutils; netkit 0.17
/// too, before Debian's fix), outside BINARY mode, made a UTF-8 continuation byte into a command
/// (<c>telsnd</c> and <c>TerminalSpecialChars</c> in its source). It compares the low 7 bits
/// of every typed byte with the terminal's special keys, so 0x83 (the second byte of <c>у</c>)
/// matches Ctrl+C and goes out as <c>IAC IP</c> (followed by <c>IAC DO TIMING-MARK</c>). The map
/// assumes the terminal's default keys (<c>stty</c>: intr ^C, quit ^\, susp ^Z, discard ^O, eof ^D).
/// Bytes telnet drops or acts on itself (0x85, Ctrl+E, toggles its echo; 0x9D, Ctrl+], its escape)
/// leave no trace and cannot be given back; only BINARY mode saves those.
/// </summary>
internal static class StrippedKeyRepair
{
    private const byte Eof = 236;
    private const byte Susp = 237;
    private const byte Abort = 238;
    private const byte Brk = 243;
    private const byte Ip = 244;
    private const byte Ao = 245;

    /// <summary>
    /// The byte that <paramref name="command"/> replaced, or <see langword="null"/> for a command
    /// telnet never makes from a typed byte.
    /// </summary>
    public static byte? OriginalByte(byte command) => command switch
    {
        Ip => 0x80 | 0x03, // Ctrl+C
        Brk => 0x80 | 0x1C, // Ctrl+\ in telnet's default (kludge) line mode
        Abort => 0x80 | 0x1C, // Ctrl+\ with LINEMODE, which the server refuses
        Susp => 0x80 | 0x1A, // Ctrl+Z
        Ao => 0x80 | 0x0F, // Ctrl+O
        Eof => 0x80 | 0x04, // Ctrl+D, a command only with LINEMODE
        _ => null,
    };
}
