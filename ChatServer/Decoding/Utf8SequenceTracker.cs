namespace ChatServer.Decoding;

/// <summary>
/// Follows the UTF-8 structure of a byte stream just far enough to tell whether it stands inside a
/// sequence: after a lead byte, while continuation bytes are still owed. It judges structure only;
/// decoding (and replacing what is invalid) happens later.
/// </summary>
internal struct Utf8SequenceTracker
{
    // At most 3 continuation bytes follow a lead byte, so a run's last 3 bytes decide its end state.
    private const int LongestTail = 3;

    private int _continuationsOwed;

    /// <summary>Whether a lead byte was seen and not all of its continuation bytes have followed yet.</summary>
    public readonly bool InsideSequence => _continuationsOwed > 0;

    /// <summary>Takes in a run of bytes of the stream; only its tail is looked at.</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > LongestTail)
        {
            // No byte leaves more than 3 owed, so 3 continuations at the end pay off whatever came
            // before them, and any other byte in the tail starts the count afresh: the last 3 bytes,
            // read from a clean state, give the same answer as the whole run.
            _continuationsOwed = 0;
            bytes = bytes[^LongestTail..];
        }

        foreach (var b in bytes)
        {
            _continuationsOwed = b switch
            {
                >= 0x80 and <= 0xBF => Math.Max(_continuationsOwed - 1, 0),
                >= 0xC2 and <= 0xDF => 1,
                >= 0xE0 and <= 0xEF => 2,
                >= 0xF0 and <= 0xF4 => 3,
                _ => 0,
            };
        }
    }
}
