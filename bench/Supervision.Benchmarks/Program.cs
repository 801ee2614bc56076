using BenchmarkDotNet.Running;
using Supervision.Benchmarks;

// `dotnet run -c Release -- --memory [N]`: memory per idle worker (not a BenchmarkDotNet timing).
// Anything else goes to BenchmarkDotNet, e.g. `dotnet run -c Release -- --filter '*'`.
if (args.Length > 0 && args[0] == "--memory")
{
    var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
    return await IdleMemory.RunAsync(count).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(CastThroughputBenchmarks).Assembly).Run(args);
return 0;
