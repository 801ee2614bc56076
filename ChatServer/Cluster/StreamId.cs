using System.Globalization;

namespace ChatServer.Cluster;

/// <summary>A Redis stream id (<c>milliseconds-sequence</c>), ordered as Redis orders them; the empty id is before every other.</summary>
internal readonly record struct StreamId(long Milliseconds, long Sequence) : IComparable<StreamId>
{
    /// <summary>Before every entry: a log nothing was read from.</summary>
    public static StreamId None => default;

    /// <summary>Reads <paramref name="text"/>; the empty string is <see cref="None"/>.</summary>
    /// <exception cref="FormatException">Not a stream id.</exception>
    public static StreamId Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return None;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? new StreamId(long.Parse(text, CultureInfo.InvariantCulture), 0)
            : new StreamId(long.Parse(text.AsSpan(0, dash), CultureInfo.InvariantCulture), long.Parse(text.AsSpan(dash + 1), CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public int CompareTo(StreamId other) =>
        Milliseconds != other.Milliseconds ? Milliseconds.CompareTo(other.Milliseconds) : Sequence.CompareTo(other.Sequence);

    /// <summary>Whether this id comes after <paramref name="other"/>.</summary>
    public bool IsAfter(StreamId other) => CompareTo(other) > 0;

    /// <summary>The id as Redis writes it; empty for <see cref="None"/>.</summary>
    public override string ToString() => this == None ? "" : string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}");
}
