using System.Buffers;
using ChatServer.Decoding;
using ChatServer.Network;
using ChatServer.Protocol;
using ChatServer.Tests.BadInput;

namespace ChatServer.Tests.Fuzz;

public class InputPathFuzzTests
{
    private const int Rounds = 3000;

    // Threat: some byte sequence makes the input path throw, buffer an unterminated line past the limit, pass an over-long line, or let a control character through.
    [Test]
    public async Task Thousands_of_random_byte_sequences_keep_every_invariant_of_the_input_path()
    {
        var random = new Random(1234);
        var violations = new List<string>();
        long lines = 0;
        long tooLong = 0;
        long commands = 0;
        for (var round = 0; round < Rounds && violations.Count < 20; round++)
        {
            var limit = random.Next(3) == 0 ? 2048 : random.Next(64, 300);
            var pipeline = new InputPipeline(limit);
            var input = RandomInput.Next(random, random.Next(0, 4097));
            foreach (var chunk in RandomInput.Chunks(random, input))
            {
                IReadOnlyList<InputPipeline.Framed> results;
                try
                {
                    results = await pipeline.FeedAsync(chunk);
                }
                catch (Exception exception)
                {
                    violations.Add($"round {round}: {exception.GetType().Name}: {exception.Message}");
                    break;
                }

                if (pipeline.Pending > limit + 1)
                {
                    violations.Add($"round {round}: the framer holds {pipeline.Pending} bytes of an unterminated line (limit {limit})");
                }

                if (pipeline.FilteredBytes > chunk.Length + 1)
                {
                    violations.Add($"round {round}: the telnet filter made {pipeline.FilteredBytes} bytes of a {chunk.Length}-byte chunk");
                }

                if (!AreRefusalsOrAboutBinary(pipeline.Replies))
                {
                    violations.Add($"round {round}: telnet replies are not all WONT/DONT or about BINARY: {Convert.ToHexString(pipeline.Replies)}");
                }

                foreach (var result in results)
                {
                    if (result.Command is null)
                    {
                        tooLong++;
                        continue;
                    }

                    lines++;
                    if (result.RawBytes > limit)
                    {
                        violations.Add($"round {round}: a {result.RawBytes}-byte line passed a {limit}-byte limit");
                    }

                    if (result.Text.Any(SafeText.IsUnsafe))
                    {
                        violations.Add($"round {round}: unsafe character in [{Escape(result.Text)}]");
                    }

                    if (result.Command is not Command.Say and not Command.Empty)
                    {
                        commands++;
                    }

                    if (result.Command is Command.Say say && (string.IsNullOrWhiteSpace(say.Text) || say.Text.Any(SafeText.IsUnsafe)))
                    {
                        violations.Add($"round {round}: a blank or unsafe message [{Escape(say.Text)}]");
                    }
                }
            }
        }

        violations.Should().BeEmpty();

        // The generator must actually reach the interesting paths, or the invariants prove nothing.
        lines.Should().BeGreaterThan(10_000);
        tooLong.Should().BeGreaterThan(300);
        commands.Should().BeGreaterThan(300);
    }

    // Threat: a telnet sequence or line end cut between two TCP reads handled differently from the same bytes in one read.
    [Test]
    public void The_telnet_filter_in_random_chunks_gives_what_an_independent_whole_input_model_gives()
    {
        var random = new Random(4321);
        for (var round = 0; round < Rounds; round++)
        {
            var input = RandomInput.Next(random, random.Next(0, 2049));
            if (round % 10 == 0)
            {
                // A first line that starts like an HTTP request: its CRLF must not bring the offer.
                input = [.. "GET "u8, .. input];
            }

            var offerBinary = round % 4 != 0;
            var filter = new TelnetFilter(offerBinary);
            var data = new ArrayBufferWriter<byte>();
            var replies = new ArrayBufferWriter<byte>();
            foreach (var chunk in RandomInput.Chunks(random, input))
            {
                filter.Filter(chunk, data, replies);
            }

            var (expectedData, expectedReplies) = TelnetReference.Filter(input, offerBinary);
            if (!data.WrittenSpan.SequenceEqual(expectedData) || !replies.WrittenSpan.SequenceEqual(expectedReplies))
            {
                Assert.Fail($"round {round} (offer {offerBinary}): input {Convert.ToHexString(input)}\n" +
                    $"data    {Convert.ToHexString(data.WrittenSpan)}\nexpected {Convert.ToHexString(expectedData)}\n" +
                    $"replies {Convert.ToHexString(replies.WrittenSpan)}\nexpected {Convert.ToHexString(expectedReplies)}");
            }
        }
    }

    // Threat: how the bytes of a line are split across reads changes which lines are accepted or refused as too long.
    [Test]
    public async Task The_input_path_gives_the_same_lines_however_the_bytes_are_chunked()
    {
        var random = new Random(5678);
        for (var round = 0; round < Rounds / 3; round++)
        {
            var limit = random.Next(64, 300);
            var input = RandomInput.Next(random, random.Next(0, 4097));

            var whole = await new InputPipeline(limit).FeedAsync(input);
            var chunked = new List<InputPipeline.Framed>();
            var pipeline = new InputPipeline(limit);
            foreach (var chunk in RandomInput.Chunks(random, input))
            {
                chunked.AddRange(await pipeline.FeedAsync(chunk));
            }

            var wholeTexts = whole.Select(f => f.Text).ToList();
            var chunkedTexts = chunked.Select(f => f.Text).ToList();
            if (!wholeTexts.SequenceEqual(chunkedTexts))
            {
                Assert.Fail($"round {round} (limit {limit}): input {Convert.ToHexString(input)}\n" +
                    $"whole   [{string.Join(" | ", wholeTexts.Select(Escape))}]\nchunked [{string.Join(" | ", chunkedTexts.Select(Escape))}]");
            }
        }
    }

    // Replies are whole three-byte negotiations; the server agrees to nothing but BINARY (option 0).
    private static bool AreRefusalsOrAboutBinary(byte[] replies)
    {
        if (replies.Length % 3 != 0)
        {
            return false;
        }

        for (var i = 0; i < replies.Length; i += 3)
        {
            if (replies[i] != 0xFF || replies[i + 1] is < 0xFB or > 0xFE || (replies[i + 1] is 0xFB or 0xFD && replies[i + 2] != 0x00))
            {
                return false;
            }
        }

        return true;
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => SafeText.IsUnsafe(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
