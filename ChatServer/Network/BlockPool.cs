using System.Collections.Concurrent;
using System.Diagnostics;

namespace ChatServer.Network;

/// <summary>
/// The memory of every connection's input and output: fixed 4 KiB blocks, kept for reuse once
/// returned, as Kestrel's block pool does. <see cref="System.Buffers.ArrayPool{T}.Shared"/> keeps a few
/// dozen arrays per core, too few for thousands of connections that each hold a block while busy.
/// A connection holds blocks only while it has bytes in them (reads wait with zero-byte reads, and a
/// send queue returns a block once it is sent), so an idle connection holds none; the pool keeps as
/// many blocks as were ever in use at once.
/// </summary>
internal sealed class BlockPool
{
    /// <summary>The size of every block.</summary>
    public const int BlockSize = 4096;

    private readonly ConcurrentQueue<Block> _free = new();

    /// <summary>The pool every connection shares.</summary>
    public static BlockPool Instance { get; } = new();

    /// <summary>A free block, or a new one; empty (<see cref="Block.Start"/> = <see cref="Block.End"/> = 0).</summary>
    public Block Rent() => _free.TryDequeue(out var block) ? block : new Block(this);

    /// <summary>One pinned 4 KiB array with the bookkeeping of a queue of bytes in it.</summary>
    public sealed class Block
    {
        private readonly BlockPool _pool;

        internal Block(BlockPool pool) => _pool = pool;

        /// <summary>The block's memory.</summary>
        public byte[] Array { get; } = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        /// <summary>Where the bytes still to be used begin.</summary>
        public int Start { get; set; }

        /// <summary>Where the bytes written so far end; new bytes go here.</summary>
        public int End { get; set; }

        /// <summary>The next block of the same queue, or null.</summary>
        public Block? Next { get; set; }

        /// <summary>Room left behind <see cref="End"/>.</summary>
        public int Free => BlockSize - End;

        /// <summary>Gives the block back; it must no longer be used.</summary>
        public void Return()
        {
            Debug.Assert(Next is null, "a block is returned on its own, not with a chain behind it");
            Start = 0;
            End = 0;
            _pool._free.Enqueue(this);
        }
    }
}
