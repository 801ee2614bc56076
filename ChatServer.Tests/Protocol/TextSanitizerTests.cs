using System.Text;
using ChatServer.Decoding;
using ChatServer.Protocol;

namespace ChatServer.Tests.Protocol;

public class TextSanitizerTests
{
    [TestCase("\u001b[2Jcleared", "[2Jcleared")]
    [TestCase("\u001b]0;pwned\u0007title", "]0;pwnedtitle")]
    [TestCase("over\rwrite", "overwrite")]
    [TestCase("back\bspace", "backspace")]
    [TestCase("bell\u0007", "bell")]
    [TestCase("nul\0byte", "nulbyte")]
    [TestCase("line\nfeed", "linefeed")]
    [TestCase("del\u007f", "del")]
    [TestCase("c1 csi \u009b2J", "c1 csi 2J")]
    [TestCase("c1 next line \u0085", "c1 next line ")]
    [TestCase("bidi \u202eevil\u202c", "bidi evil")]
    [TestCase("isolates \u2066a\u2067b\u2068c\u2069", "isolates abc")]
    [TestCase("embeddings \u202aa\u202bb\u202dc", "embeddings abc")]
    public void Removes_control_characters_and_bidi_overrides(string input, string expected)
    {
        TextSanitizer.Sanitize(input).Should().Be(expected);
    }

    [Test]
    public void Removes_every_c0_and_c1_control_but_tab()
    {
        var all = new StringBuilder();
        for (var c = '\0'; c <= '\u009f'; c++)
        {
            all.Append(c);
        }

        var clean = TextSanitizer.Sanitize(all.ToString());

        clean.Should().Be("\t" + new string(Enumerable.Range(' ', '\u007f' - ' ').Select(i => (char)i).ToArray()));
    }

    [TestCase("plain text")]
    [TestCase("tab\tstays")]
    [TestCase("café, naïve, Ünïcödé")]
    [TestCase("日本語のテキスト")]
    [TestCase("emoji 😀👍🏽 and flags 🇫🇷")]
    [TestCase("")]
    public void Leaves_safe_text_untouched_and_returns_the_same_instance(string input)
    {
        TextSanitizer.Sanitize(input).Should().BeSameAs(input);
    }

    [Test]
    public void Keeps_safe_characters_around_unsafe_ones_in_order()
    {
        TextSanitizer.Sanitize("é\u001b日\r😀\bz").Should().Be("é日😀z");
    }

    [Test]
    public void Decodes_utf8_from_a_single_segment()
    {
        var bytes = Encoding.UTF8.GetBytes("héllo 日本 😀");

        TextSanitizer.Decode(Sequences.Of(bytes)).Should().Be("héllo 日本 😀");
    }

    [Test]
    public void Decodes_characters_split_between_segments()
    {
        var bytes = Encoding.UTF8.GetBytes("é日😀");

        // é is 2 bytes, 日 is 3, 😀 is 4: cut inside each of them.
        var sequence = Sequences.Of(bytes[..1], bytes[1..3], bytes[3..6], bytes[6..]);

        TextSanitizer.Decode(sequence).Should().Be("é日😀");
    }

    [Test]
    public void Turns_invalid_utf8_into_replacement_characters()
    {
        var sequence = Sequences.Of([(byte)'a', 0xFF, (byte)'b', 0xC3], [(byte)'c']);

        TextSanitizer.Decode(sequence).Should().Be("a\uFFFDb\uFFFDc");
    }

    [Test]
    public void Sanitizes_what_it_decodes()
    {
        var sequence = Sequences.Of("x\u001b[31m", "red\u0007\r");

        TextSanitizer.Decode(sequence).Should().Be("x[31mred");
    }
}
