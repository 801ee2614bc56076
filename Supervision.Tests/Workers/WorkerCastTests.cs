using System.Collections.Concurrent;

namespace Supervision.Tests.Workers;

public class WorkerCastTests
{
    private const int Messages = 10_000;

    [Test]
    public async Task Casts_are_handled_one_at_a_time_in_arrival_order()
    {
        var handled = new ConcurrentQueue<int>();
        var active = 0;
        var maxActive = 0;
        var worker = new ScriptedWorker();
        await worker.StartAsync();

        for (var i = 0; i < Messages; i++)
        {
            var value = i;
            worker.Tell(async _ =>
            {
                RecordConcurrency(ref active, ref maxActive);
                // Yield so that a loop that did not await its handler would overlap the next one.
                await Task.Yield();
                handled.Enqueue(value);
                Interlocked.Decrement(ref active);
            }).Should().BeTrue();
        }

        (await worker.PingAsync()).Should().BeTrue();
        handled.Should().Equal(Enumerable.Range(0, Messages));
        Volatile.Read(ref maxActive).Should().Be(1);
        worker.Stop();
        await worker.Completion.WithinTimeout();
    }

    [Test]
    public async Task Casts_from_many_concurrent_senders_are_handled_one_at_a_time_each_senders_in_order()
    {
        const int senders = 8;
        const int perSender = 1_000;
        var handled = new ConcurrentQueue<(int Sender, int Seq)>();
        var active = 0;
        var maxActive = 0;
        var worker = new ScriptedWorker();
        await worker.StartAsync();
        var go = Signals.New();

        var sending = Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            await go.Task;
            for (var seq = 0; seq < perSender; seq++)
            {
                var entry = (sender, seq);
                worker.Tell(async _ =>
                {
                    RecordConcurrency(ref active, ref maxActive);
                    await Task.Yield();
                    handled.Enqueue(entry);
                    Interlocked.Decrement(ref active);
                }).Should().BeTrue();
            }
        })).ToArray();
        go.SetResult();
        await Task.WhenAll(sending).WithinTimeout();

        (await worker.PingAsync()).Should().BeTrue();
        handled.Should().HaveCount(senders * perSender);
        foreach (var group in handled.GroupBy(e => e.Sender))
        {
            group.Select(e => e.Seq).Should().Equal(Enumerable.Range(0, perSender), $"sender {group.Key}'s casts arrive in order");
        }

        Volatile.Read(ref maxActive).Should().Be(1);
        worker.Stop();
        await worker.Completion.WithinTimeout();
    }

    private static void RecordConcurrency(ref int active, ref int maxActive)
    {
        var now = Interlocked.Increment(ref active);
        int seen;
        while (now > (seen = Volatile.Read(ref maxActive)) && Interlocked.CompareExchange(ref maxActive, now, seen) != seen)
        {
        }
    }
}
