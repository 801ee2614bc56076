using System.IO.Pipelines;
using ChatServer.Network;

namespace ChatServer.Tests.Network;

public class BlockPoolTests
{
    [Test]
    public void A_returned_block_is_handed_out_again_instead_of_a_new_one()
    {
        var pool = new BlockPool();
        var first = pool.Rent();
        var memory = first.Memory;
        first.Dispose();

        using var second = pool.Rent(100);

        second.Should().BeSameAs(first);
        second.Memory.Length.Should().Be(BlockPool.BlockSize);
        second.Memory.Equals(memory).Should().BeTrue("the same array is reused");
    }

    [Test]
    public void Blocks_in_use_are_distinct_and_a_request_over_the_block_size_is_refused()
    {
        var pool = new BlockPool();
        using var a = pool.Rent();
        using var b = pool.Rent();

        a.Should().NotBeSameAs(b);
        pool.Invoking(p => p.Rent(BlockPool.BlockSize + 1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public async Task A_pipe_on_the_pool_carries_more_than_a_block_and_a_write_larger_than_a_block()
    {
        var pipe = new Pipe(new PipeOptions(new BlockPool(), minimumSegmentSize: BlockPool.BlockSize, pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        var data = Enumerable.Range(0, 3 * BlockPool.BlockSize).Select(i => (byte)i).ToArray();

        await pipe.Writer.WriteAsync(data.AsMemory(0, 100));
        await pipe.Writer.WriteAsync(data.AsMemory(100));
        await pipe.Writer.CompleteAsync();

        var received = new List<byte>();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                received.AddRange(segment.ToArray());
            }

            pipe.Reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        received.Should().Equal(data);
    }
}
