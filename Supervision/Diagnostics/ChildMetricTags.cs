namespace Supervision;

/// <summary>
/// The <c>child</c> metric tag of one supervisor: the child spec id, bounded. Ids are labels chosen
/// by code, but a dynamic supervisor may be given an id per child (a room's name, say); past
/// <see cref="MaxDistinct"/> distinct ids the rest share <see cref="Other"/>, so a time-series
/// database never sees an unbounded label. Touched only by the supervisor's loop.
/// </summary>
internal sealed class ChildMetricTags
{
    public const string Key = "child";
    public const int MaxDistinct = 100;
    public const string Other = "_other";

    private static readonly KeyValuePair<string, object?> s_other = new(Key, Other);

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public KeyValuePair<string, object?> For(string childId) =>
        _seen.Contains(childId) || (_seen.Count < MaxDistinct && _seen.Add(childId))
            ? new(Key, childId)
            : s_other;
}
