using System.Diagnostics;
using System.Threading.Channels;

namespace Supervision.Benchmarks;

/// <summary>
/// Memory per idle worker (issue 5 goal: ≤ 1 KiB), measured outside BenchmarkDotNet: start N idle
/// mailboxes, keep them alive, and divide the growth of the live heap (GC.GetTotalMemory(true),
/// after full collections) by N. Also reports bytes allocated per start (allocation ≠ retained).
/// </summary>
internal static class IdleMemory
{
    private const int Repeats = 3;

    public static async Task<int> RunAsync(int count)
    {
        Console.WriteLine($"Memory per idle mailbox, N = {count:N0}, {Repeats} repeats; .NET {Environment.Version}, " +
            $"{Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}, " +
            $"GC mode {System.Runtime.GCSettings.LatencyMode}");
        Console.WriteLine();
        Console.WriteLine($"{"case",-58} {"retained B/each",16} {"allocated B/each",17} {"start µs/each",14}");

        // The bare loops' tasks, kept outside the measured heap so that their end can be awaited.
        var loops = new Task[count];
        for (var repeat = 0; repeat < Repeats; repeat++)
        {
            await MeasureAsync("bare unbounded Channel<int> + parked async read loop", count, i =>
            {
                var mailbox = BareLoop.CreateMailbox<int>();
                loops[i] = BareLoop.RunAsync(mailbox.Reader, static _ => { });
                return ValueTask.FromResult<object>(mailbox);
            }, async items =>
            {
                foreach (var item in items)
                {
                    ((Channel<int>)item).Writer.TryComplete();
                }

                await Task.WhenAll(loops).ConfigureAwait(false);
                Array.Clear(loops);
            }).ConfigureAwait(false);

            await MeasureAsync("Worker<int>, unbounded mailbox (default), started", count, static async _ =>
            {
                var worker = new IdleWorker();
                await worker.StartAsync().ConfigureAwait(false);
                return worker;
            }, StopAllAsync).ConfigureAwait(false);

            var bounded = new WorkerOptions { Mailbox = MailboxOptions.Bounded(64) };
            await MeasureAsync("Worker<int>, bounded(64) mailbox, started", count, async _ =>
            {
                var worker = new IdleWorker(bounded);
                await worker.StartAsync().ConfigureAwait(false);
                return worker;
            }, StopAllAsync).ConfigureAwait(false);

            var supervisor = await DynamicSupervisor.StartAsync(new DynamicSupervisorOptions { Name = "memory" }).ConfigureAwait(false);
            var spec = ChildSpec.ForWorker("idle", static () => new IdleWorker(), RestartType.Temporary);
            await MeasureAsync("Worker<int>, unbounded, child of a DynamicSupervisor", count, async _ =>
                (await supervisor.StartChildAsync(spec).ConfigureAwait(false))!, async _ =>
                {
                    supervisor.Stop();
                    await supervisor.Completion.ConfigureAwait(false);
                }).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task StopAllAsync(object[] items)
    {
        foreach (var item in items)
        {
            ((IProcess)item).Stop();
        }

        foreach (var item in items)
        {
            await ((IProcess)item).Completion.ConfigureAwait(false);
        }
    }

    private static async Task MeasureAsync(string label, int count, Func<int, ValueTask<object>> create, Func<object[], Task> release)
    {
        // Start from an unwound stack: the previous case's frames (and its array) must be gone.
        await Task.Yield();
        var items = new object[count];
        var before = SettledHeap();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            items[i] = await create(i).ConfigureAwait(false);
        }

        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // Let every loop reach its parked read before measuring.
        await Task.Delay(200).ConfigureAwait(false);
        var after = SettledHeap();
        GC.KeepAlive(items);
        Console.WriteLine($"{label,-58} {(after - before) / (double)count,16:N0} {allocated / (double)count,17:N0} " +
            $"{clock.Elapsed.TotalMicroseconds / count,14:N2}");

        await release(items).ConfigureAwait(false);
        Array.Clear(items);
    }

    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
