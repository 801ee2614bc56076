using System.Globalization;
using System.Text;
using ChatServer.Protocol;

namespace ChatServer.Tests.Protocol;

public class ServerLinesTests
{
    private static readonly DateTimeOffset s_at = new(2024, 5, 6, 13, 5, 9, TimeSpan.FromHours(2));

    [Test]
    public void An_outbound_line_is_utf8_followed_by_crlf()
    {
        var line = OutboundLine.From("héllo 日本 😀");

        line.Bytes.ToArray().Should().Equal([.. Encoding.UTF8.GetBytes("héllo 日本 😀"), (byte)'\r', (byte)'\n']);
        line.ToString().Should().Be("héllo 日本 😀");
    }

    [Test]
    public void An_empty_outbound_line_is_just_crlf()
    {
        var line = OutboundLine.From("");

        line.Bytes.ToArray().Should().Equal((byte)'\r', (byte)'\n');
        line.ToString().Should().BeEmpty();
    }

    [Test]
    public void Room_lines_have_their_formats()
    {
        Wire(ServerLines.RoomMessage("#dev", "alice", "hi there")).Should().Be("[#dev] <alice> hi there\r\n");
        Wire(ServerLines.RoomAction("#dev", "alice", "waves")).Should().Be("[#dev] * alice waves\r\n");
    }

    [Test]
    public void History_lines_are_marked_with_the_time()
    {
        Wire(ServerLines.HistoryMessage("#dev", s_at, "bob", "earlier")).Should().Be("[#dev] (13:05:09) <bob> earlier\r\n");
        Wire(ServerLines.HistoryAction("#dev", s_at, "bob", "left early")).Should().Be("[#dev] (13:05:09) * bob left early\r\n");
    }

    [Test]
    [SetCulture("fi-FI")]
    public void History_times_use_colons_whatever_the_server_culture()
    {
        // Clients parse these lines: the format must not depend on the culture the server runs under.
        CultureInfo.CurrentCulture.Name.Should().Be("fi-FI");

        Wire(ServerLines.HistoryMessage("#dev", s_at, "bob", "earlier")).Should().Be("[#dev] (13:05:09) <bob> earlier\r\n");
    }

    [Test]
    public void Private_messages_notices_and_errors_have_their_prefixes()
    {
        Wire(ServerLines.PrivateMessage("alice", "psst")).Should().Be("[pm] <alice> psst\r\n");
        Wire(ServerLines.Notice("bob joined #dev")).Should().Be("* bob joined #dev\r\n");
        Wire(ServerLines.Error("no such nick zed")).Should().Be("! no such nick zed\r\n");
    }

    [Test]
    public void Help_lines_are_notices_that_cover_every_command()
    {
        ServerLines.HelpText.Should().OnlyContain(l => l.StartsWith("* ", StringComparison.Ordinal));
        var help = string.Join("\n", ServerLines.HelpText);
        foreach (var command in new[] { "/nick", "/join", "/part", "/rooms", "/who", "/msg", "/me", "/ping", "/quit", "//", "/topic", "/invite", "/kick", "/ban", "/unban", "/op", "/deop", "/voice", "/devoice", "/mode" })
        {
            help.Should().Contain(command);
        }
    }

    private static string Wire(OutboundLine line) => Encoding.UTF8.GetString(line.Bytes.Span);
}
