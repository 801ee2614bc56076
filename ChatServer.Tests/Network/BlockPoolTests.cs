using ChatServer.Network;

namespace ChatServer.Tests.Network;

public class BlockPoolTests
{
    [Test]
    public void A_returned_block_is_handed_out_again_instead_of_a_new_one()
    {
        var pool = new BlockPool();
        var block = pool.Rent();
        block.End = 10;
        block.Return();

        var again = pool.Rent();

        again.Should().BeSameAs(block);
        again.Start.Should().Be(0);
        again.End.Should().Be(0, "a returned block comes back empty");
    }

    [Test]
    public void Blocks_in_use_are_distinct_and_each_is_a_full_block()
    {
        var pool = new BlockPool();
        var first = pool.Rent();
        var second = pool.Rent();

        second.Should().NotBeSameAs(first);
        second.Array.Should().NotBeSameAs(first.Array);
        first.Array.Length.Should().Be(BlockPool.BlockSize);
        first.Free.Should().Be(BlockPool.BlockSize);
    }
}
