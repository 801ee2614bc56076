using System.Buffers;
using System.Text;
using ChatServer.Decoding;
using ChatServer.Network;
using static ChatServer.Tests.Support.TelnetBytes;

namespace ChatServer.Tests.BadInput;

public class TelnetFilterTests
{
    // A rich input touching every state: interrupt + timing mark (which brings the BINARY offer), CR NUL,
    // WILL, a sub-negotiation with an escaped IAC inside, an IAC IAC, CRLF, a lone CR, WONT/DONT, a CR
    // before an IAC, the answers to the offer, and telnet commands inside UTF-8 sequences (✓, у).
    private static readonly byte[] s_mixed =
    [
        .. "hi"u8, Iac, Ip, Iac, Do, TimingMark, .. "a\r\0"u8, Iac, Will, 0x18,
        Iac, Sb, 0x18, 0x00, (byte)'x', Iac, Iac, (byte)'y', Iac, Se, .. "b"u8, Iac, Iac, .. "c\r\nd\re\n"u8,
        Iac, Dont, 0x01, Iac, Wont, 0x03, .. "f\r"u8, Iac, Do, 0x1F, .. "g"u8,
        Iac, Do, Binary, Iac, Will, Binary, 0xE2, Iac, Brk, Iac, Do, TimingMark, 0x93, 0xD1, Iac, Ip, Iac, Do, TimingMark,
    ];

    private static readonly byte[] s_mixedData = [.. "hia\nbc\nd\re\nf\rg✓у"u8];

    private static readonly byte[] s_mixedReplies =
    [
        .. BinaryOffer, Iac, Wont, TimingMark, Iac, Dont, 0x18, Iac, Wont, 0x1F, Iac, Wont, TimingMark, Iac, Wont, TimingMark,
    ];

    // Threat: a telnet client's DO would go unanswered or be taken as text; every DO but BINARY is refused with WONT.
    [TestCase((byte)0x01)]
    [TestCase((byte)0x03)]
    [TestCase((byte)0x06)]
    [TestCase((byte)0x18)]
    [TestCase((byte)0x1F)]
    [TestCase((byte)0xFF)]
    public void Do_is_refused_with_wont_of_the_same_option_byte_exact(byte option)
    {
        var (data, replies) = Run([Iac, Do, option]);

        replies.Should().Equal([.. BinaryOffer, Iac, Wont, option], "the first IAC brings the offer, then the refusal");
        data.Should().BeEmpty();
    }

    // Threat: a telnet client's WILL would go unanswered or be taken as text; every WILL but BINARY is refused with DONT.
    [TestCase((byte)0x01)]
    [TestCase((byte)0x03)]
    [TestCase((byte)0x18)]
    [TestCase((byte)0x1F)]
    [TestCase((byte)0x20)]
    [TestCase((byte)0x27)]
    public void Will_is_refused_with_dont_of_the_same_option_byte_exact(byte option)
    {
        var (data, replies) = Run([Iac, Will, option]);

        replies.Should().Equal([.. BinaryOffer, Iac, Dont, option], "the first IAC brings the offer, then the refusal");
        data.Should().BeEmpty();
    }

    // Threat: answering WONT/DONT would start a negotiation loop with the client; they are consumed silently.
    [TestCase(Wont)]
    [TestCase(Dont)]
    public void Wont_and_dont_are_consumed_without_an_answer(byte verb)
    {
        var (data, replies) = Run([.. "a"u8, Iac, verb, 0x01, .. "b"u8]);

        replies.Should().Equal(BinaryOffer, "nothing but the offer that the first IAC brings");
        data.Should().Equal("ab"u8.ToArray());
    }

    // Threat: Ctrl-C in Linux telnet (IAC IP IAC DO TIMING-MARK) leaves the user deaf until the server answers IAC WONT TM.
    [Test]
    public void Telnet_ctrl_c_is_answered_with_wont_timing_mark_and_leaves_no_data()
    {
        var (data, replies) = Run([Iac, Ip, Iac, Do, TimingMark], [Iac, Ip, Iac, Do, TimingMark]);

        replies.Should().Equal([.. BinaryOffer, Iac, Wont, TimingMark, Iac, Wont, TimingMark], "the first brings the offer too");
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
        replies.Should().Equal(BinaryOffer, "nothing but the offer that the first IAC brings");
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
        replies.Should().Equal(BinaryOffer, "nothing but the offer that the first IAC brings");
    }

    // Threat: IAC IAC (an escaped 0xFF, never text in UTF-8) relayed as a raw 0xFF or taken as the start of a command; it is consumed as a pair.
    [Test]
    public void Iac_iac_is_consumed_as_a_pair_and_the_next_byte_is_data_again()
    {
        var (data, replies) = Run([.. "a"u8, Iac, Iac, .. "b"u8, Iac, Iac, Iac, Iac, Do, 0x01]);

        data.Should().Equal((byte)'a', (byte)'b', Do, 0x01);
        replies.Should().Equal(BinaryOffer, "IAC IAC IAC IAC DO 01 is two escaped 0xFF and then the data bytes FD 01, not a DO");
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

    // Threat: a CR at the end of one read taken as lone (or lost) when its NUL or LF comes in the next read;
    // or the offer that telnet's line end (CR NUL, CRLF) brings sent for a lone CR, or not at all.
    [TestCase("\0", "a\nb", true)]
    [TestCase("\n", "a\nb", true)]
    [TestCase("", "a\rb", false)]
    public void A_cr_at_the_end_of_a_chunk_is_held_until_the_next_byte_decides(string next, string expected, bool offered)
    {
        var filter = new TelnetFilter(offerBinary: true);
        var data = new ArrayBufferWriter<byte>();
        var replies = new ArrayBufferWriter<byte>();

        filter.Filter("a\r"u8, data, replies);
        Encoding.ASCII.GetString(data.WrittenSpan).Should().Be("a", "the CR may still be the start of CR NUL or CRLF");
        filter.Filter([], data, replies);
        replies.WrittenCount.Should().Be(0, "the CR alone does not say whether this is telnet");
        filter.Filter(Encoding.ASCII.GetBytes(next + "b"), data, replies);

        Encoding.ASCII.GetString(data.WrittenSpan).Should().Be(expected);
        replies.WrittenSpan.ToArray().Should().Equal(offered ? BinaryOffer : []);
    }

    // Threat: a CR right before an IAC sequence lost or merged with it.
    [Test]
    public void A_cr_before_an_iac_sequence_stays_a_cr_and_the_sequence_is_still_answered()
    {
        var (data, replies) = Run([.. "a\r"u8], [Iac, Do, 0x06, .. "b"u8]);

        Encoding.ASCII.GetString(data).Should().Be("a\rb");
        replies.Should().Equal([.. BinaryOffer, Iac, Wont, 0x06]);
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

    // Threat: an unfinished sequence at the end of a read emitting partial bytes; nothing of it shows until it completes
    // (its IAC has shown the peer speaks telnet, which brings the offer).
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
        replies.Should().Equal(partial[0] == Iac ? BinaryOffer : []);
    }

    // Threat: Linux telnet left outside BINARY mode, where it breaks UTF-8 text; its first IAC shows it speaks telnet.
    [Test]
    public void The_first_iac_brings_the_binary_offer_before_its_own_answer()
    {
        var (data, replies) = Run([.. "hi"u8, Iac], [Do, 0x18, .. "!"u8]);

        replies.Should().Equal([Iac, Will, Binary, Iac, Do, Binary, Iac, Wont, 0x18]);
        data.Should().Equal("hi!"u8.ToArray());
    }

    // Threat: a telnet user who never presses Ctrl+C (no IAC at all) stays outside BINARY mode; telnet ends lines in CRLF or CR NUL.
    [TestCase("/nick tina\r\n")]
    [TestCase("/nick tina\r\0")]
    [TestCase("\r\n")]
    public void The_first_line_ended_the_telnet_way_brings_the_binary_offer(string input)
    {
        var (data, replies) = Run(Encoding.ASCII.GetBytes(input));

        replies.Should().Equal(BinaryOffer);
        Encoding.ASCII.GetString(data).Should().EndWith("\n");
    }

    // Threat: an nc user (lines end in LF, no IAC) shown telnet bytes; its first line end decides, a later CRLF (pasted text) does not.
    [TestCase("hello\n")]
    [TestCase("hello\nthen a pasted\r\nwindows line\r\n")]
    [TestCase("\n\r\0")]
    [TestCase("no line end yet, a lone\rcr")]
    [TestCase("")]
    public void Input_whose_first_line_ends_in_lf_alone_gets_no_offer(string input)
    {
        var (_, replies) = Run(Encoding.ASCII.GetBytes(input));

        replies.Should().BeEmpty();
    }

    // Threat: a browser or an HTTP probe (its request line ends in CRLF too) shown telnet bytes before the one plain error line.
    [TestCase("GET / HTTP/1.1\r\nHost: chat\r\n\r\n")]
    [TestCase("OPTIONS * HTTP/1.1\r\n")]
    [TestCase("POST /api HTTP/1.0\r\nContent-Length: 5\r\n\r\nhi\r\n\r\n")]
    public void A_first_line_that_starts_like_an_http_request_gets_no_offer(string input)
    {
        var (_, split) = Run([.. Encoding.ASCII.GetBytes(input).Select(b => new[] { b })]);
        var (_, whole) = Run(Encoding.ASCII.GetBytes(input));

        whole.Should().BeEmpty();
        split.Should().BeEmpty("byte by byte too");
    }

    // Threat: a chat line that merely starts with a word like an HTTP method taken for HTTP, leaving telnet outside BINARY mode.
    [TestCase("GETTING there\r\n")]
    [TestCase("get / lower case\r\n")]
    [TestCase("/msg GET hi\r\n")]
    public void A_first_line_that_only_resembles_http_still_brings_the_offer(string input)
    {
        var (_, replies) = Run(Encoding.ASCII.GetBytes(input));

        replies.Should().Equal(BinaryOffer);
    }

    // Threat: the offer repeated on every IAC or line end, which a telnet client would answer again and again.
    [Test]
    public void The_offer_is_sent_once_however_many_iacs_and_telnet_line_ends_follow()
    {
        var (_, replies) = Run(
            [.. "a\r\n"u8],
            [Iac, Nop, .. "b\r\0"u8, Iac, Ip, Iac, Do, TimingMark, .. "c\r\n"u8],
            [Iac, Nop, .. "d\n"u8, Iac, Ayt]);

        replies.Should().Equal([.. BinaryOffer, Iac, Wont, TimingMark]);
    }

    // Threat: answering the client's answers to the offer (RFC 1143: an answer is never answered) starts a negotiation loop.
    [Test]
    public void The_clients_agreement_to_the_offer_is_taken_without_an_answer_and_repeats_too()
    {
        var (_, replies) = Run(
            [.. "a\r\n"u8],
            [Iac, Do, Binary, Iac, Will, Binary],
            [Iac, Will, Binary, Iac, Do, Binary, .. "b\n"u8]);

        replies.Should().Equal(BinaryOffer, "agreements and their repeats are not answered");
    }

    // Threat: a client that asks for BINARY itself answered twice, or not at all.
    [TestCase(Do)]
    [TestCase(Will)]
    public void A_client_that_asks_for_binary_first_gets_one_agreeing_answer(byte verb)
    {
        var (_, replies) = Run([Iac, verb, Binary, Iac, verb, Binary]);

        replies.Should().Equal(BinaryOffer, "its first IAC brings the offer, whose WILL (or DO) is the agreement; the request then needs no other");
    }

    // Threat: a refusal of the offer answered (a loop), or a switch-off of an agreed BINARY left unacknowledged (RFC 854).
    [Test]
    public void A_refusal_is_taken_silently_a_switch_off_is_acknowledged_and_a_later_request_is_agreed_once()
    {
        var (_, refused) = Run([Iac, Dont, Binary, Iac, Wont, Binary, Iac, Dont, Binary]);
        refused.Should().Equal(BinaryOffer, "DONT and WONT refuse our requests: no answer");

        var (_, switchedOff) = Run([Iac, Do, Binary, Iac, Will, Binary], [Iac, Dont, Binary, Iac, Wont, Binary, Iac, Dont, Binary]);
        switchedOff.Should().Equal([.. BinaryOffer, Iac, Wont, Binary, Iac, Dont, Binary], "switching off what was on is acknowledged once");

        var (_, askedAgain) = Run([Iac, Dont, Binary, Iac, Wont, Binary], [Iac, Do, Binary, Iac, Will, Binary, Iac, Do, Binary]);
        askedAgain.Should().Equal([.. BinaryOffer, Iac, Will, Binary, Iac, Do, Binary], "the client's own later requests are agreed to once each");
    }

    // Threat: text typed in Linux telnet outside BINARY mode arrives broken: a UTF-8 continuation byte 0x80–0x9F whose low
    // 7 bits are a terminal key is sent as that key's telnet command (and IAC DO TIMING-MARK). Bytes as captured from telnet.
    [TestCase("у", new byte[] { 0xD1, Iac, Ip, Iac, Do, TimingMark })]
    [TestCase("✓", new byte[] { 0xE2, Iac, Brk, Iac, Do, TimingMark, 0x93 })]
    [TestCase("я", new byte[] { 0xD1, Iac, Ao, Iac, Do, TimingMark })]
    [TestCase("业", new byte[] { 0xE4, 0xB8, Iac, Susp, Iac, Do, TimingMark })]
    [TestCase("ン", new byte[] { 0xE3, Iac, Ip, Iac, Do, TimingMark, 0xB3 })]
    [TestCase("😃", new byte[] { 0xF0, 0x9F, 0x98, Iac, Ip, Iac, Do, TimingMark })]
    [TestCase("ќ", new byte[] { 0xD1, Iac, Abort, Iac, Do, TimingMark })]
    [TestCase("ф", new byte[] { 0xD1, Iac, Eof })]
    public void A_command_inside_a_utf8_sequence_becomes_the_byte_it_stood_for(string expected, byte[] sent)
    {
        var (data, replies) = Run([.. "тут "u8, .. sent, .. "!\r\n"u8]);

        Encoding.UTF8.GetString(data).Should().Be($"тут {expected}!\n");
        replies.Should().Equal(sent.Contains(Do) ? [.. BinaryOffer, Iac, Wont, TimingMark] : BinaryOffer, "the DO TIMING-MARK after the key is still answered");
    }

    // Threat: a whole line of Russian from telnet (т�т р�сский) repaired only in part, or the repair cut by a read boundary.
    [Test]
    public void A_line_of_repaired_text_is_whole_at_every_split_point()
    {
        byte[] sent =
        [
            0xD1, 0x82, 0xD1, Iac, Ip, Iac, Do, TimingMark, 0xD1, 0x82, (byte)' ',
            0xD1, 0x80, 0xD1, Iac, Ip, Iac, Do, TimingMark, 0xD1, 0x81, 0xD1, 0x81, 0xD0, 0xBA, 0xD0, 0xB8, 0xD0, 0xB9, (byte)' ',
            0xD1, Iac, Ao, Iac, Do, TimingMark, 0xD0, 0xB7, 0xD1, 0x8B, 0xD0, 0xBA, (byte)'\r', (byte)'\n',
        ];

        for (var i = 0; i <= sent.Length; i++)
        {
            var (data, replies) = Run(sent[..i], sent[i..]);

            Encoding.UTF8.GetString(data).Should().Be("тут русский язык\n", "split at {0}", i);
            replies.Should().Equal([.. BinaryOffer, Iac, Wont, TimingMark, Iac, Wont, TimingMark, Iac, Wont, TimingMark], "split at {0}", i);
        }
    }

    // Threat: a real Ctrl+C between characters (IAC IP outside a UTF-8 sequence) relayed as a byte; it stays consumed and answered.
    [TestCase(new byte[] { (byte)'a' })]
    [TestCase(new byte[] { 0xD1, 0x83 })]
    [TestCase(new byte[] { 0xE2, 0x9C, 0x93 })]
    [TestCase(new byte[] { 0xF0, 0x9F, 0x98, 0x83 })]
    [TestCase(new byte[] { 0x83 })]
    [TestCase(new byte[] { 0xD1, (byte)'a' })]
    [TestCase(new byte[] { 0xD1, (byte)'\r', 0 })]
    [TestCase(new byte[] { })]
    public void Ctrl_c_between_characters_is_consumed_and_answered_as_before(byte[] before)
    {
        var (data, replies) = Run([.. before, Iac, Ip, Iac, Do, TimingMark, .. "x"u8]);

        data.Should().Equal(Run([.. before, .. "x"u8]).Data, "the Ctrl+C leaves no byte");
        replies.Should().Equal([.. BinaryOffer, Iac, Wont, TimingMark]);
    }

    // Threat: a command that telnet never makes from a typed byte (NOP, AYT, DM, IAC IAC) turned into text inside a sequence.
    [TestCase(Nop)]
    [TestCase(Ayt)]
    [TestCase((byte)0xF2)]
    [TestCase(Iac)]
    public void Other_commands_inside_a_utf8_sequence_are_consumed(byte command)
    {
        var (data, _) = Run([0xD1, Iac, command, 0x83, .. "\n"u8]);

        Encoding.UTF8.GetString(data).Should().Be("у\n");
    }

    // Threat: the option off still sends the offer, or no longer refuses BINARY: with it off the filter answers as it always did.
    [Test]
    public void With_the_offer_off_the_server_never_negotiates_and_refuses_binary_like_any_option()
    {
        var (data, replies) = Run(
            offerBinary: false,
            [.. "/nick tina\r\n"u8, Iac, Ip, Iac, Do, TimingMark],
            [Iac, Do, Binary, Iac, Will, Binary, Iac, Wont, Binary, Iac, Dont, Binary, .. "a\r\0"u8]);

        replies.Should().Equal(Iac, Wont, TimingMark, Iac, Wont, Binary, Iac, Dont, Binary);
        Encoding.ASCII.GetString(data).Should().Be("/nick tina\na\n");
    }

    // Threat: with the offer off, telnet stays outside BINARY mode for good; its broken text must still be repaired.
    [Test]
    public void With_the_offer_off_commands_inside_a_utf8_sequence_are_still_repaired()
    {
        var (data, replies) = Run(offerBinary: false, [0xE2, Iac, Brk, Iac, Do, TimingMark, 0x93, 0xD1, Iac, Ip, Iac, Do, TimingMark, .. "\r\n"u8]);

        Encoding.UTF8.GetString(data).Should().Be("✓у\n");
        replies.Should().Equal(Iac, Wont, TimingMark, Iac, Wont, TimingMark);
    }

    private static (byte[] Data, byte[] Replies) Run(params byte[][] chunks) => Run(offerBinary: true, chunks);

    private static (byte[] Data, byte[] Replies) Run(bool offerBinary, params byte[][] chunks)
    {
        var filter = new TelnetFilter(offerBinary);
        var data = new ArrayBufferWriter<byte>();
        var replies = new ArrayBufferWriter<byte>();
        foreach (var chunk in chunks)
        {
            filter.Filter(chunk, data, replies);
        }

        return (data.WrittenSpan.ToArray(), replies.WrittenSpan.ToArray());
    }
}
