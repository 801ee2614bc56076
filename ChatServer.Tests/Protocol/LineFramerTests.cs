using System.Buffers;
using System.Text;
using ChatServer.Decoding;
using ChatServer.Network;

namespace ChatServer.Tests.Protocol;

public class LineFramerTests
{
    [Test]
    public void A_single_line_ending_in_lf_is_read_without_its_ending()
    {
        var framer = new LineFramer(100);
        var buffer = Sequences.Of("hello\n");

        var result = framer.TryRead(ref buffer, out var line);

        result.Should().Be(FrameResult.Line);
        Sequences.Text(line).Should().Be("hello");
        buffer.Length.Should().Be(0);
    }

    [Test]
    public void A_line_ending_in_crlf_is_read_without_the_cr()
    {
        var framer = new LineFramer(100);
        var buffer = Sequences.Of("hello\r\n");

        framer.TryRead(ref buffer, out var line).Should().Be(FrameResult.Line);

        Sequences.Text(line).Should().Be("hello");
        buffer.Length.Should().Be(0);
    }

    [Test]
    public void A_cr_inside_a_line_is_not_a_line_ending()
    {
        var framer = new LineFramer(100);
        var buffer = Sequences.Of("a\rb\n");

        framer.TryRead(ref buffer, out var line).Should().Be(FrameResult.Line);

        Sequences.Text(line).Should().Be("a\rb");
    }

    [Test]
    public void Several_lines_in_one_buffer_are_read_one_by_one_and_the_rest_is_left()
    {
        var framer = new LineFramer(100);
        var buffer = Sequences.Of("one\ntwo\r\nthree\nfour");

        var lines = new List<string>();
        while (framer.TryRead(ref buffer, out var line) == FrameResult.Line)
        {
            lines.Add(Sequences.Text(line));
        }

        lines.Should().Equal("one", "two", "three");
        Sequences.Text(buffer).Should().Be("four");
    }

    [Test]
    public void Empty_lines_are_read_as_empty_lines()
    {
        var framer = new LineFramer(100);
        var buffer = Sequences.Of("\n\r\nx\n");

        framer.TryRead(ref buffer, out var first).Should().Be(FrameResult.Line);
        framer.TryRead(ref buffer, out var second).Should().Be(FrameResult.Line);
        framer.TryRead(ref buffer, out var third).Should().Be(FrameResult.Line);

        first.Length.Should().Be(0);
        second.Length.Should().Be(0);
        Sequences.Text(third).Should().Be("x");
    }

    [Test]
    public void No_newline_yet_needs_more_and_consumes_nothing()
    {
        var framer = new LineFramer(100);
        var buffer = Sequences.Of("partial");

        framer.TryRead(ref buffer, out _).Should().Be(FrameResult.NeedMore);

        Sequences.Text(buffer).Should().Be("partial");
    }

    [Test]
    public void A_line_spread_over_several_segments_is_read_whole()
    {
        var framer = new LineFramer(100);
        var buffer = Sequences.Of("he", "", "ll", "o wor", "ld\nnext");

        framer.TryRead(ref buffer, out var line).Should().Be(FrameResult.Line);

        Sequences.Text(line).Should().Be("hello world");
        Sequences.Text(buffer).Should().Be("next");
    }

    [Test]
    public void A_crlf_split_between_two_segments_is_still_one_line_ending()
    {
        var framer = new LineFramer(100);
        var buffer = Sequences.Of("abc\r", "\ndef\r\n");

        framer.TryRead(ref buffer, out var first).Should().Be(FrameResult.Line);
        framer.TryRead(ref buffer, out var second).Should().Be(FrameResult.Line);

        Sequences.Text(first).Should().Be("abc");
        Sequences.Text(second).Should().Be("def");
        buffer.Length.Should().Be(0);
    }

    [Test]
    public void A_multi_byte_character_split_between_segments_survives()
    {
        var framer = new LineFramer(100);
        var bytes = Encoding.UTF8.GetBytes("café 日本\n");
        var buffer = Sequences.Of(bytes[..4], bytes[4..8], bytes[8..]);

        framer.TryRead(ref buffer, out var line).Should().Be(FrameResult.Line);

        Sequences.Text(line).Should().Be("café 日本");
    }

    [Test]
    public void A_line_split_across_calls_is_read_once_it_is_complete()
    {
        var driver = new Driver(100);

        driver.Feed("hel").Should().BeEmpty();
        driver.Feed("lo wo").Should().BeEmpty();
        driver.Feed("rld\r").Should().BeEmpty();
        driver.Feed("\nbye\n").Should().Equal("hello world", "bye");
        driver.Pending.Should().Be(0);
    }

    [Test]
    public void A_line_of_exactly_the_limit_is_accepted_with_lf_or_crlf()
    {
        var exact = new string('x', 100);
        var driver = new Driver(100);

        driver.Feed(exact + "\n").Should().Equal(exact);
        driver.Feed(exact + "\r\n").Should().Equal(exact);
    }

    [Test]
    public void A_line_of_exactly_the_limit_whose_crlf_arrives_in_pieces_is_accepted()
    {
        var exact = new string('x', 100);
        var driver = new Driver(100);

        driver.Feed(exact + "\r").Should().BeEmpty();
        driver.Feed("\n").Should().Equal(exact);
    }

    [Test]
    public void A_complete_line_one_byte_over_the_limit_is_too_long_and_the_next_line_works()
    {
        var driver = new Driver(100);

        driver.Feed(new string('x', 101) + "\nok\n").Should().Equal(Driver.TooLong, "ok");
    }

    [Test]
    public void A_complete_line_far_over_the_limit_in_one_buffer_is_reported_once()
    {
        var driver = new Driver(100);

        driver.Feed(new string('x', 1000) + "\r\nok\r\n").Should().Equal(Driver.TooLong, "ok");
    }

    [Test]
    public void A_long_line_trickling_in_without_newline_is_reported_once_and_never_held_beyond_the_limit()
    {
        const int limit = 100;
        var driver = new Driver(limit);
        var results = new List<string>();

        for (var i = 0; i < 200; i++)
        {
            results.AddRange(driver.Feed("0123456789"));

            // The framer keeps one byte of slack for the CR of a CRLF that has not arrived in full.
            driver.Pending.Should().BeLessThanOrEqualTo(limit + 1, "after chunk {0} the framer must not hold more than the limit", i);
        }

        results.Should().Equal(Driver.TooLong);
        driver.MaxPending.Should().BeLessThanOrEqualTo(limit + 1);

        driver.Feed("tail of the long line\nnext line\n").Should().Equal("next line");
        driver.Feed("and another\n").Should().Equal("and another");
        driver.Pending.Should().Be(0);
    }

    [Test]
    public void A_long_line_arriving_byte_by_byte_is_reported_once()
    {
        var driver = new Driver(64);
        var results = new List<string>();

        foreach (var b in Encoding.UTF8.GetBytes(new string('y', 500) + "\nafter\n"))
        {
            results.AddRange(driver.Feed([b]));
            driver.Pending.Should().BeLessThanOrEqualTo(65);
        }

        results.Should().Equal(Driver.TooLong, "after");
    }

    [Test]
    public void A_long_line_in_multi_segment_buffers_is_reported_once_and_the_next_line_works()
    {
        var driver = new Driver(50);

        var results = new List<string>();
        results.AddRange(driver.FeedSegments("aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccc"));
        results.AddRange(driver.FeedSegments("dddddddddd", "eeeeeeee\n", "short\n"));

        results.Should().Equal(Driver.TooLong, "short");
    }

    [Test]
    public void Two_long_lines_in_a_row_are_each_reported_once()
    {
        var driver = new Driver(10);

        var results = new List<string>();
        results.AddRange(driver.Feed(new string('a', 30)));
        results.AddRange(driver.Feed(new string('a', 30) + "\n" + new string('b', 30)));
        results.AddRange(driver.Feed(new string('b', 30) + "\nfine\n"));

        results.Should().Equal(Driver.TooLong, Driver.TooLong, "fine");
    }

    [Test]
    public void The_limit_must_be_positive()
    {
        var create = () => new LineFramer(0);

        create.Should().Throw<ArgumentOutOfRangeException>();
        new LineFramer(7).MaxLineBytes.Should().Be(7);
    }

    /// <summary>
    /// Drives a framer the way the client's read loop does: what the framer leaves in the buffer is
    /// kept and handed back with the next bytes that arrive.
    /// </summary>
    private sealed class Driver(int maxLineBytes)
    {
        public const string TooLong = "<too long>";

        private readonly LineFramer _framer = new(maxLineBytes);
        private byte[] _pending = [];

        public int Pending => _pending.Length;

        public int MaxPending { get; private set; }

        public IReadOnlyList<string> Feed(string text) => Feed(Encoding.UTF8.GetBytes(text));

        public IReadOnlyList<string> Feed(byte[] bytes) => FeedSegments([bytes]);

        public IReadOnlyList<string> FeedSegments(params string[] segments) =>
            FeedSegments(segments.Select(s => Encoding.UTF8.GetBytes(s)).ToArray());

        private List<string> FeedSegments(byte[][] segments)
        {
            var buffer = Sequences.Of([_pending, .. segments]);
            var results = new List<string>();
            while (true)
            {
                var result = _framer.TryRead(ref buffer, out var line);
                if (result == FrameResult.NeedMore)
                {
                    break;
                }

                results.Add(result == FrameResult.Line ? Sequences.Text(line) : TooLong);
            }

            _pending = buffer.ToArray();
            MaxPending = Math.Max(MaxPending, _pending.Length);
            return results;
        }
    }
}
