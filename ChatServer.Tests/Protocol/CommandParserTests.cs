using ChatServer.Protocol;

namespace ChatServer.Tests.Protocol;

public class CommandParserTests
{
    [TestCase("")]
    [TestCase(" ")]
    [TestCase("   ")]
    [TestCase("\t")]
    [TestCase(" \t  ")]
    public void A_blank_line_is_empty(string line)
    {
        CommandParser.Parse(line).Should().Be(new Command.Empty());
    }

    [TestCase("hello", "hello")]
    [TestCase("hello world ", "hello world ")]
    [TestCase(" /nick bob", " /nick bob")]
    [TestCase("日本 😀", "日本 😀")]
    [TestCase("a/b", "a/b")]
    public void Any_other_line_is_a_message(string line, string text)
    {
        CommandParser.Parse(line).Should().Be(new Command.Say(text));
    }

    [TestCase("//text", "/text")]
    [TestCase("//nick bob", "/nick bob")]
    [TestCase("//", "/")]
    [TestCase("///", "//")]
    public void A_double_slash_sends_the_rest_as_a_message(string line, string text)
    {
        CommandParser.Parse(line).Should().Be(new Command.Say(text));
    }

    [TestCase("/nick bob", "bob")]
    [TestCase("/nick   bob  ", "bob")]
    [TestCase("/NICK Bob", "Bob")]
    [TestCase("/Nick abcdefghijklmnopqrst", "abcdefghijklmnopqrst")]
    public void Nick_takes_a_valid_name(string line, string name)
    {
        CommandParser.Parse(line).Should().Be(new Command.Nick(name));
    }

    [TestCase("/nick")]
    [TestCase("/nick   ")]
    [TestCase("/nick bob smith")]
    public void Nick_without_exactly_one_name_is_a_usage_error(string line)
    {
        Invalid(line).Should().Be("usage: /nick NAME");
    }

    [TestCase("/nick abcdefghijklmnopqrstu")]
    [TestCase("/nick *")]
    [TestCase("/nick [x]")]
    [TestCase("/nick <x>")]
    [TestCase("/nick x!")]
    [TestCase("/nick café")]
    [TestCase("/nick #chan")]
    [TestCase("/nick 9lives")]
    [TestCase("/nick -dash")]
    public void Nick_with_a_bad_name_says_what_a_nick_is(string line)
    {
        Invalid(line).Should().Be("invalid nick: a nick is 1 to 20 of letters, digits, _ and -, starting with a letter or _");
    }

    [TestCase("/join #room", "#room")]
    [TestCase("/JOIN  #Room ", "#Room")]
    [TestCase("/join #12345678901234567890123456789012", "#12345678901234567890123456789012")]
    public void Join_takes_a_valid_room(string line, string room)
    {
        CommandParser.Parse(line).Should().Be(new Command.Join(room));
    }

    [TestCase("/join")]
    [TestCase("/join #a #b")]
    public void Join_without_exactly_one_room_is_a_usage_error(string line)
    {
        Invalid(line).Should().Be("usage: /join #ROOM");
    }

    [TestCase("/join room")]
    [TestCase("/join #")]
    [TestCase("/join #a*")]
    [TestCase("/join #123456789012345678901234567890123")]
    public void Join_with_a_bad_room_says_what_a_room_is(string line)
    {
        Invalid(line).Should().Be("invalid room name: a room is # followed by 1 to 32 of letters, digits, _ and -");
    }

    [Test]
    public void Part_and_who_take_an_optional_room()
    {
        CommandParser.Parse("/part").Should().Be(new Command.Part(null));
        CommandParser.Parse("/part #a").Should().Be(new Command.Part("#a"));
        CommandParser.Parse("/who").Should().Be(new Command.Who(null));
        CommandParser.Parse("/who   #b ").Should().Be(new Command.Who("#b"));
    }

    [Test]
    public void Part_and_who_reject_two_rooms_or_a_bad_room()
    {
        Invalid("/part #a #b").Should().Be("usage: /part [#ROOM]");
        Invalid("/who #a #b").Should().Be("usage: /who [#ROOM]");
        Invalid("/part a").Should().StartWith("invalid room name");
        Invalid("/who #!").Should().StartWith("invalid room name");
    }

    [Test]
    public void Rooms_takes_no_arguments()
    {
        CommandParser.Parse("/rooms").Should().Be(new Command.Rooms());
        CommandParser.Parse("/rooms  ").Should().Be(new Command.Rooms());
        Invalid("/rooms #a").Should().Be("/rooms takes no arguments");
    }

    [TestCase("/msg bob hi", "bob", "hi")]
    [TestCase("/msg bob hello  there ", "bob", "hello  there")]
    [TestCase("/msg   bob    hi", "bob", "hi")]
    [TestCase("/MSG Bob /not a command", "Bob", "/not a command")]
    public void Msg_takes_a_nick_and_text(string line, string nick, string text)
    {
        CommandParser.Parse(line).Should().Be(new Command.PrivateMessage(nick, text));
    }

    [TestCase("/msg")]
    [TestCase("/msg bob")]
    [TestCase("/msg bob    ")]
    public void Msg_without_nick_and_text_is_a_usage_error(string line)
    {
        Invalid(line).Should().Be("usage: /msg NICK TEXT");
    }

    [Test]
    public void Msg_to_an_invalid_nick_names_it()
    {
        Invalid("/msg b*b hi").Should().Be("invalid nick: b*b");
    }

    [Test]
    public void Me_takes_text()
    {
        CommandParser.Parse("/me waves").Should().Be(new Command.Action("waves"));
        CommandParser.Parse("/me  waves at  you ").Should().Be(new Command.Action("waves at  you"));
        Invalid("/me").Should().Be("usage: /me TEXT");
        Invalid("/me   ").Should().Be("usage: /me TEXT");
    }

    [Test]
    public void Ping_takes_an_optional_token()
    {
        CommandParser.Parse("/ping").Should().Be(new Command.Ping(""));
        CommandParser.Parse("/ping abc").Should().Be(new Command.Ping("abc"));
        CommandParser.Parse("/ping a b ").Should().Be(new Command.Ping("a b"));
    }

    [Test]
    public void Quit_takes_an_optional_reason()
    {
        CommandParser.Parse("/quit").Should().Be(new Command.Quit(null));
        CommandParser.Parse("/quit   ").Should().Be(new Command.Quit(null));
        CommandParser.Parse("/quit gone home").Should().Be(new Command.Quit("gone home"));
    }

    [Test]
    public void Help_and_crash_are_commands()
    {
        CommandParser.Parse("/help").Should().Be(new Command.Help());
        CommandParser.Parse("/HELP").Should().Be(new Command.Help());
        CommandParser.Parse("/crash").Should().Be(new Command.Crash());
    }

    [TestCase("/foo", "unknown command /foo; type /help for commands")]
    [TestCase("/foo bar baz", "unknown command /foo; type /help for commands")]
    [TestCase("/nickname bob", "unknown command /nickname; type /help for commands")]
    public void An_unknown_command_is_named_in_the_error(string line, string message)
    {
        Invalid(line).Should().Be(message);
    }

    [TestCase("/")]
    [TestCase("/ nick bob")]
    public void A_lone_slash_is_an_empty_command(string line)
    {
        Invalid(line).Should().StartWith("empty command");
    }

    private static string Invalid(string line)
    {
        var command = CommandParser.Parse(line);
        command.Should().BeOfType<Command.Invalid>();
        return ((Command.Invalid)command).Message;
    }
}
