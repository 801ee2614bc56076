namespace ChatServer.Decoding;

/// <summary>What <see cref="LineFramer.TryRead"/> found.</summary>
public enum FrameResult
{
    /// <summary>No complete line yet; read more.</summary>
    NeedMore,

    /// <summary>A complete line, without its line ending.</summary>
    Line,

    /// <summary>A line longer than the limit was dropped (reported once per such line).</summary>
    TooLong,
}
