using System.Buffers.Binary;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;

namespace Supervision.Tests.Packaging;

/// <summary>The library's PDB (the one the .snupkg ships) carries its sources, so a debugger needs nothing else.</summary>
public class EmbeddedSourcesTests
{
    // The portable PDB's "embedded source" custom debug information kind.
    private static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    [Test]
    public void The_library_pdb_embeds_the_source_of_Worker()
    {
        var pdbPath = Path.ChangeExtension(typeof(Worker<>).Assembly.Location, ".pdb");
        using var stream = File.OpenRead(pdbPath);
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var pdb = provider.GetMetadataReader();

        // Paths are local, or /_/-mapped in CI builds: match the end only.
        var worker = pdb.Documents.Single(handle =>
            pdb.GetString(pdb.GetDocument(handle).Name).Replace('\\', '/').EndsWith("/Workers/Worker.cs", StringComparison.Ordinal));
        var embedded = pdb.GetCustomDebugInformation(worker)
            .Select(pdb.GetCustomDebugInformation)
            .Where(information => pdb.GetGuid(information.Kind) == EmbeddedSource)
            .Select(information => pdb.GetBlobBytes(information.Value))
            .ToList();

        embedded.Should().ContainSingle("EmbedAllSources puts every source file into the PDB");
        Decode(embedded[0]).Should().Contain("class Worker");
    }

    // The blob is a little-endian int32 size, then the text: deflated to that size, or raw when the size is 0.
    private static string Decode(byte[] blob)
    {
        var size = BinaryPrimitives.ReadInt32LittleEndian(blob);
        if (size == 0)
        {
            return Encoding.UTF8.GetString(blob, 4, blob.Length - 4);
        }

        using var deflate = new DeflateStream(new MemoryStream(blob, 4, blob.Length - 4), CompressionMode.Decompress);
        var text = new byte[size];
        deflate.ReadExactly(text);
        return Encoding.UTF8.GetString(text);
    }
}
