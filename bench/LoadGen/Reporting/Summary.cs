using System.Globalization;
using System.Text;

namespace LoadGen.Reporting;

/// <summary>
/// The result of a run as an ordered list of fields, written as one JSON line (loadgen.c's field
/// names and number formats) and as a table for people (the fields that have a label).
/// </summary>
internal sealed class Summary
{
    private readonly List<Field> _fields = [];

    public void Add(string key, string value, string? label = null) => _fields.Add(new Field(key, Quote(value), label, value));

    public void Add(string key, long value, string? label = null) =>
        _fields.Add(new Field(key, value.ToString(CultureInfo.InvariantCulture), label, value.ToString("N0", CultureInfo.InvariantCulture)));

    /// <summary>A number with <paramref name="decimals"/> decimals, as loadgen.c prints it with %.Nf.</summary>
    public void Add(string key, double value, int decimals, string? label = null)
    {
        var json = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var shown = value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        _fields.Add(new Field(key, json, label, shown));
    }

    /// <summary>An object of counts, e.g. the loss reasons: <c>{"eof":2}</c>.</summary>
    public void AddCounts(string key, IEnumerable<KeyValuePair<string, long>> counts, string? label = null)
    {
        var pairs = counts.ToList();
        var json = "{" + string.Join(",", pairs.Select(p => $"{Quote(p.Key)}:{p.Value.ToString(CultureInfo.InvariantCulture)}")) + "}";
        var shown = pairs.Count == 0 ? "-" : string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value.ToString(CultureInfo.InvariantCulture)}"));
        _fields.Add(new Field(key, json, label, shown));
    }

    public void AddStrings(string key, IEnumerable<string> values, string? label = null)
    {
        var list = values.ToList();
        var json = "[" + string.Join(",", list.Select(Quote)) + "]";
        _fields.Add(new Field(key, json, label, list.Count == 0 ? "-" : string.Join(" | ", list)));
    }

    public string ToJson()
    {
        var builder = new StringBuilder("{");
        foreach (var field in _fields)
        {
            if (builder.Length > 1)
            {
                builder.Append(',');
            }

            builder.Append(Quote(field.Key)).Append(':').Append(field.Json);
        }

        return builder.Append('}').ToString();
    }

    public string ToTable(string title)
    {
        var rows = _fields.Where(f => f.Label is not null).ToList();
        var labelWidth = rows.Count == 0 ? 0 : rows.Max(f => f.Label!.Length);
        var valueWidth = rows.Count == 0 ? 0 : rows.Where(f => f.Shown.Length <= 20).Select(f => f.Shown.Length).DefaultIfEmpty(0).Max();
        var builder = new StringBuilder().AppendLine(title);
        foreach (var field in rows)
        {
            builder.Append("  ").Append(field.Label!.PadRight(labelWidth)).Append("  ").AppendLine(field.Shown.PadLeft(valueWidth));
        }

        return builder.ToString();
    }

    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var ch in value)
        {
            _ = ch switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                < ' ' => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}"),
                _ => builder.Append(ch),
            };
        }

        return builder.Append('"').ToString();
    }

    private sealed record Field(string Key, string Json, string? Label, string Shown);
}
