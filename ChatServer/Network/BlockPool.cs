using System.Buffers;
using System.Collections.Concurrent;

namespace ChatServer.Network;

/// <summary>
/// The memory of every client's pipes: fixed 4 KiB blocks, kept for reuse once returned, as
/// Kestrel's block pool does. <see cref="ArrayPool{T}.Shared"/> keeps a few dozen arrays per
/// core, too few for thousands of connections that each hold a block or two while busy; its
/// misses became fresh 4 KiB arrays, two thirds of all bytes allocated under fan-out load.
/// Blocks are held only while a pipe has data in them (reads wait with zero-byte reads), so an
/// idle connection holds none; the pool keeps as many blocks as were ever in use at once.
/// </summary>
public sealed class BlockPool : MemoryPool<byte>
{
    /// <summary>The size of every block.</summary>
    public const int BlockSize = 4096;

    private readonly ConcurrentQueue<Block> _free = new();

    /// <summary>The pool all clients share.</summary>
    public static BlockPool Instance { get; } = new();

    /// <inheritdoc />
    public override int MaxBufferSize => BlockSize;

    /// <summary>A free block, or a new one. Larger requests are refused; pipes take those from <see cref="ArrayPool{T}.Shared"/>.</summary>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        return _free.TryDequeue(out var block) ? block : new Block(this);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // Shared for the process's life: nothing to release.
    }

    private sealed class Block(BlockPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public Memory<byte> Memory => _array;

        public void Dispose() => pool._free.Enqueue(this);
    }
}
