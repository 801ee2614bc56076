namespace ChatServer.Decoding;

/// <summary>One result of <see cref="InputDecoder.Decode"/>: a complete line, or a line over the limit that was dropped.</summary>
/// <param name="Text">The decoded, sanitised line without its line ending; null for a dropped line.</param>
/// <param name="RawBytes">The line's length in bytes as received (after the telnet filter, before decoding); 0 for a dropped line.</param>
internal readonly record struct DecodedLine(string? Text, int RawBytes)
{
    /// <summary>A line over the limit was dropped (reported once per such line).</summary>
    public bool IsTooLong => Text is null;
}
