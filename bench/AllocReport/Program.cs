using System.Globalization;
using Microsoft.Diagnostics.Tracing;

// Usage: AllocReport <file.nettrace> [top N] [deliveries]
// The runtime reports one GCAllocationTick about every 100 KB allocated, naming the type that crossed
// the mark, so the sums are a sample proportional to bytes, not exact counts.
if (args.Length is < 1 or > 3)
{
    Console.Error.WriteLine("usage: AllocReport <file.nettrace> [top N] [deliveries]");
    return 2;
}

var top = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var deliveries = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 0;
var bytesByType = new Dictionary<string, long>();
long total = 0;
using (var source = new EventPipeEventSource(args[0]))
{
    source.Clr.GCAllocationTick += tick =>
    {
        var type = tick.TypeName ?? "?";
        bytesByType[type] = bytesByType.GetValueOrDefault(type) + tick.AllocationAmount64;
        total += tick.AllocationAmount64;
    };
    source.Process();
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated (sampled): {total / 1e6:F1} MB"));
if (deliveries > 0)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per delivery: {(double)total / deliveries:F1} B"));
}

foreach (var (type, bytes) in bytesByType.OrderByDescending(pair => pair.Value).Take(top))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{100.0 * bytes / total,6:F1}%  {bytes / 1e6,9:F1} MB  {type}"));
}

return 0;
