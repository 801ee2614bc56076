using ChatServer.Network;

namespace ChatServer.Tests.Network;

/// <summary>A send queue's sender on the thread pool: what one connection's sender does on a thread never reaches another's.</summary>
public class SendQueueThreadTests
{
    [Test]
    public void A_slow_send_that_fails_on_another_thread_leaves_the_gathered_send_of_another_connection_alone()
    {
        // A waits in a slow send; its thread goes on to gather B's three blocks; A's send fails and resumes
        // elsewhere while B's gathered send is under way. B must send the three blocks it gathered.
        var slowSend = new TaskCompletionSource();
        var a = new ScriptedConnection { Send = _ => new ValueTask(slowSend.Task) };
        var inBsSend = new ManualResetEventSlim();
        var aFailed = new ManualResetEventSlim();
        int gathered = -1, whenSent = -1;
        var b = new ScriptedConnection
        {
            SendNow = segments =>
            {
                gathered = segments.Count;
                inBsSend.Set();
                aFailed.Wait(TimeSpan.FromSeconds(10));
                whenSent = segments.Count;
                return 0;
            },
            Send = _ => new ValueTask(new TaskCompletionSource().Task),
        };
        var sender = new Thread(() =>
        {
            a.Output.Write("a\n"u8);
            ((IThreadPoolWorkItem)a.Output).Execute();
            b.Output.Write(new byte[3 * BlockPool.BlockSize]);
            ((IThreadPoolWorkItem)b.Output).Execute();
        });

        sender.Start();
        inBsSend.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        slowSend.SetException(new IOException("reset by peer"));
        aFailed.Set();
        sender.Join(TimeSpan.FromSeconds(10)).Should().BeTrue();

        gathered.Should().Be(3);
        whenSent.Should().Be(3, "another connection's failure must not empty the blocks this send was given");
    }

    /// <summary>A connection whose sends do what the test says; it receives nothing.</summary>
    private sealed class ScriptedConnection() : Connection(null, new SendQueueLimits(1 << 20, 10_000), null)
    {
        public Func<IList<ArraySegment<byte>>, int> SendNow { get; init; } = _ => 0;

        public Func<ReadOnlyMemory<byte>, ValueTask> Send { get; init; } = _ => ValueTask.CompletedTask;

        internal override bool SendsWithoutWaiting => true;

        public override ValueTask<int> WaitReadableAsync() => new(0);

        public override ValueTask<int> ReceiveAsync(Memory<byte> buffer) => new(0);

        internal override int TrySend(IList<ArraySegment<byte>> segments) => SendNow(segments);

        internal override ValueTask SendAsync(ReadOnlyMemory<byte> bytes) => Send(bytes);

        protected override void CloseTransport()
        {
        }
    }
}
