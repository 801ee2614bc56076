using System.Buffers;
using System.Text;
using ChatServer.Network;
using static ChatServer.Tests.Support.TelnetBytes;

namespace ChatServer.Tests.BadInput;

public class TelnetFilterTests
{
    // A rich input touching every state: interrupt + timing mark, CR NUL, WILL, a sub-negotiation
    // with an escaped IAC inside, an IAC IAC, CRLF, a lone CR, WONT/DONT, a CR before an IAC.
    private static readonly byte[] s_mixed =
    [
        .. "hi"u8, Iac, 0xF4, Iac, Do, 0x06, .. "a\r\0"u8, Iac, Will, 0x18,
        Iac, Sb, 0x18, 0x00, (byte)'x', Iac, Iac, (byte)'y', Iac, Se, .. "b"u8, Iac, Iac, .. "c\r\nd\re\n"u8,
        Iac, Dont, 0x01, Iac, Wont, 0x03, .. "f\r"u8, Iac, Do, 0x1F, .. "g"u8,
    ];

    private static readonly byte[] s_mixedData = [.. "hia\nbc\nd\re\nf\rg"u8];

    private static readonly byte[] s_mixedReplies = [Iac, Wont, 0x06, Iac, Dont, 0x18, Iac, Wont, 0x1F];

    // Threat: a telnet client's DO would go unanswered or be taken as text; every DO is refused with WONT.
    [TestCase((byte)0x00)]
    [TestCase((byte)0x01)]
    [TestCase((byte)0x03)]
    [TestCase((byte)0x06)]
    [TestCase((byte)0x18)]
    [TestCase((byte)0x1F)]
    [TestCase((byte)0xFF)]
    public void Do_is_refused_with_wont_of_the_same_option_byte_exact(byte option)
    {
        var (data, replies) = Run([Iac, Do, option]);

        replies.Should().Equal(Iac, Wont, option);
        data.Should().BeEmpty();
    }

    // Threat: a telnet client's WILL would go unanswered or be taken as text; every WILL is refused with DONT.
    [TestCase((byte)0x01)]
    [TestCase((byte)0x03)]
    [TestCase((byte)0x18)]
    [TestCase((byte)0x1F)]
    [TestCase((byte)0x20)]
    [TestCase((byte)0x27)]
    public void Will_is_refused_with_dont_of_the_same_option_byte_exact(byte option)
    {
        var (data, replies) = Run([Iac, Will, option]);

        replies.Should().Equal(Iac, Dont, option);
        data.Should().BeEmpty();
    }

    // Threat: answering WONT/DONT would start a negotiation loop with the client; they are consumed silently.
    [TestCase(Wont)]
    [TestCase(Dont)]
    public void Wont_and_dont_are_consumed_without_an_answer(byte verb)
    {
        var (data, replies) = Run([.. "a"u8, Iac, verb, 0x01, .. "b"u8]);

        replies.Should().BeEmpty();
        data.Should().Equal("ab"u8.ToArray());
    }

    // Threat: Ctrl-C in Linux telnet (IAC IP IAC DO TIMING-MARK) leaves the user deaf until the server answers IAC WONT TM.
    [Test]
    public void Telnet_ctrl_c_is_answered_with_wont_timing_mark_and_leaves_no_data()
    {
        var (data, replies) = Run([Iac, 0xF4, Iac, Do, 0x06]);

        replies.Should().Equal(Iac, Wont, 0x06);
        data.Should().BeEmpty();
    }

    // Threat: two-byte telnet commands (NOP, DM, BRK, IP, AO, AYT, EC, EL, GA, SE) relayed as text or answered.
    [TestCase((byte)0xF0)]
    [TestCase((byte)0xF1)]
    [TestCase((byte)0xF2)]
    [TestCase((byte)0xF3)]
    [TestCase((byte)0xF4)]
    [TestCase((byte)0xF5)]
    [TestCase((byte)0xF6)]
    [TestCase((byte)0xF7)]
    [TestCase((byte)0xF8)]
    [TestCase((byte)0xF9)]
    public void Two_byte_commands_are_consumed_silently(byte command)
    {
        var (data, replies) = Run([.. "ab"u8, Iac, command, .. "cd"u8]);

        data.Should().Equal("abcd"u8.ToArray());
        replies.Should().BeEmpty();
    }

    // Threat: sub-negotiation payloads (terminal type, window size) relayed as text; an escaped IAC IAC or an IAC DO inside must not end or answer it.
    [Test]
    public void A_sub_negotiation_is_consumed_whole_including_escaped_iacs_and_commands_inside()
    {
        var (data, replies) = Run(
        [
            .. "a"u8,
            Iac, Sb, 0x18, 0x00, .. "xterm"u8, Iac, Iac, Se, (byte)'z', Iac, Do, 0x01, Iac, Se,
            .. "b"u8,
            Iac, Sb, 0x1F, 0x00, 0x50, 0x00, 0x18, Iac, Se,
            .. "c"u8,
        ]);

        data.Should().Equal("abc"u8.ToArray());
        replies.Should().BeEmpty();
    }

    // Threat: IAC IAC (an escaped 0xFF, never text in UTF-8) relayed as a raw 0xFF or taken as the start of a command; it is consumed as a pair.
    [Test]
    public void Iac_iac_is_consumed_as_a_pair_and_the_next_byte_is_data_again()
    {
        var (data, replies) = Run([.. "a"u8, Iac, Iac, .. "b"u8, Iac, Iac, Iac, Iac, Do, 0x01]);

        data.Should().Equal((byte)'a', (byte)'b', Do, 0x01);
        replies.Should().BeEmpty("IAC IAC IAC IAC DO 01 is two escaped 0xFF and then the data bytes FD 01, not a DO");
    }

    // Threat: UTF-8 bytes that equal telnet codes (F0–FE) eaten outside an IAC sequence; only IAC starts a command.
    [Test]
    public void Utf8_and_high_bytes_outside_iac_sequences_pass_through_untouched()
    {
        var bytes = Encoding.UTF8.GetBytes("é 日本 😀 \t ~");
        byte[] high = [0xF0, 0xF1, 0xF4, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0x80, 0x00];

        var (data, replies) = Run([.. bytes, .. high]);

        data.Should().Equal([.. bytes, .. high]);
        replies.Should().BeEmpty();
    }

    // Threat: telnet's Enter (CR NUL) or CRLF not ending a line; all three line ends become LF.
    [TestCase("a\r\0b", "a\nb")]
    [TestCase("a\r\nb", "a\nb")]
    [TestCase("a\nb", "a\nb")]
    [TestCase("\r\0\r\n\n", "\n\n\n")]
    [TestCase("a\r\r\0", "a\r\n")]
    [TestCase("a\r\r\n", "a\r\n")]
    public void Lf_crlf_and_cr_nul_all_end_a_line_as_lf(string input, string expected)
    {
        var (data, _) = Run(Encoding.ASCII.GetBytes(input));

        Encoding.ASCII.GetString(data).Should().Be(expected);
    }

    // Threat: a lone CR treated as a line end (splitting one line into a fake second one); it stays a CR, removed later by the sanitiser.
    [TestCase("hi\r[#lobby] <bob> fake", "hi\r[#lobby] <bob> fake")]
    [TestCase("a\rb\rc", "a\rb\rc")]
    [TestCase("a\r\r", "a\r")]
    public void A_lone_cr_followed_by_text_stays_a_cr(string input, string expected)
    {
        var (data, _) = Run(Encoding.ASCII.GetBytes(input));

        Encoding.ASCII.GetString(data).Should().Be(expected);
    }

    // Threat: a CR at the end of one read taken as lone (or lost) when its NUL or LF comes in the next read.
    [TestCase("\0", "a\nb")]
    [TestCase("\n", "a\nb")]
    [TestCase("", "a\rb")]
    public void A_cr_at_the_end_of_a_chunk_is_held_until_the_next_byte_decides(string next, string expected)
    {
        var filter = new TelnetFilter();
        var data = new ArrayBufferWriter<byte>();
        var replies = new ArrayBufferWriter<byte>();

        filter.Filter("a\r"u8, data, replies);
        Encoding.ASCII.GetString(data.WrittenSpan).Should().Be("a", "the CR may still be the start of CR NUL or CRLF");
        filter.Filter([], data, replies);
        filter.Filter(Encoding.ASCII.GetBytes(next + "b"), data, replies);

        Encoding.ASCII.GetString(data.WrittenSpan).Should().Be(expected);
        replies.WrittenCount.Should().Be(0);
    }

    // Threat: a CR right before an IAC sequence lost or merged with it.
    [Test]
    public void A_cr_before_an_iac_sequence_stays_a_cr_and_the_sequence_is_still_answered()
    {
        var (data, replies) = Run([.. "a\r"u8], [Iac, Do, 0x06, .. "b"u8]);

        Encoding.ASCII.GetString(data).Should().Be("a\rb");
        replies.Should().Equal(Iac, Wont, 0x06);
    }

    // Threat: a sequence split between two TCP reads misparsed; every split point of a mixed input gives the same data and answers.
    [Test]
    public void A_mixed_input_split_at_every_byte_position_gives_the_same_result()
    {
        for (var i = 0; i <= s_mixed.Length; i++)
        {
            var (data, replies) = Run(s_mixed[..i], s_mixed[i..]);

            data.Should().Equal(s_mixedData, "split at {0}", i);
            replies.Should().Equal(s_mixedReplies, "split at {0}", i);
        }
    }

    // Threat: state lost between reads when every byte arrives alone, or when a read is cut twice.
    [Test]
    public void A_mixed_input_fed_byte_by_byte_or_cut_at_any_two_positions_gives_the_same_result()
    {
        var (byByteData, byByteReplies) = Run(s_mixed.Select(b => new[] { b }).ToArray());
        byByteData.Should().Equal(s_mixedData);
        byByteReplies.Should().Equal(s_mixedReplies);

        for (var i = 0; i <= s_mixed.Length; i++)
        {
            for (var j = i; j <= s_mixed.Length; j++)
            {
                var (data, replies) = Run(s_mixed[..i], s_mixed[i..j], s_mixed[j..]);

                data.Should().Equal(s_mixedData, "cut at {0} and {1}", i, j);
                replies.Should().Equal(s_mixedReplies, "cut at {0} and {1}", i, j);
            }
        }
    }

    // Threat: an unfinished sequence at the end of a read emitting partial bytes; nothing of it shows until it completes.
    [TestCase(new byte[] { Iac })]
    [TestCase(new byte[] { Iac, Do })]
    [TestCase(new byte[] { Iac, Will })]
    [TestCase(new byte[] { Iac, Sb, 0x18, 0x00, 0x41 })]
    [TestCase(new byte[] { Iac, Sb, 0x18, Iac })]
    [TestCase(new byte[] { (byte)'\r' })]
    public void An_unfinished_sequence_emits_nothing_yet(byte[] partial)
    {
        var (data, replies) = Run(partial);

        data.Should().BeEmpty();
        replies.Should().BeEmpty();
    }

    private static (byte[] Data, byte[] Replies) Run(params byte[][] chunks)
    {
        var filter = new TelnetFilter();
        var data = new ArrayBufferWriter<byte>();
        var replies = new ArrayBufferWriter<byte>();
        foreach (var chunk in chunks)
        {
            filter.Filter(chunk, data, replies);
        }

        return (data.WrittenSpan.ToArray(), replies.WrittenSpan.ToArray());
    }
}
