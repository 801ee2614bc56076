using ChatServer.Chat;
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

    [Test]
    public void Join_takes_an_optional_key()
    {
        CommandParser.Parse("/join #room s3cret").Should().Be(new Command.Join("#room", "s3cret"));
    }

    [TestCase("/join")]
    [TestCase("/join #a #b")]
    [TestCase("/join #a key more")]
    public void Join_without_one_room_and_at_most_a_key_is_a_usage_error(string line)
    {
        Invalid(line).Should().Be("usage: /join #ROOM [KEY]");
    }

    [Test]
    public void Moderation_commands_become_mode_changes_on_the_current_room()
    {
        CommandParser.Parse("/op Bob").Should().Be(new Command.Mode(null, [new ModeChange(true, 'o', "Bob")]));
        CommandParser.Parse("/deop bob").Should().Be(new Command.Mode(null, [new ModeChange(false, 'o', "bob")]));
        CommandParser.Parse("/voice bob").Should().Be(new Command.Mode(null, [new ModeChange(true, 'v', "bob")]));
        CommandParser.Parse("/devoice bob").Should().Be(new Command.Mode(null, [new ModeChange(false, 'v', "bob")]));
        CommandParser.Parse("/ban *!*@bad.host").Should().Be(new Command.Mode(null, [new ModeChange(true, 'b', "*!*@bad.host")]));
        CommandParser.Parse("/unban bob").Should().Be(new Command.Mode(null, [new ModeChange(false, 'b', "bob")]));
        CommandParser.Parse("/ban").Should().Be(new Command.Bans());
        CommandParser.Parse("/topic").Should().Be(new Command.Topic(null));
        CommandParser.Parse("/topic  release  friday ").Should().Be(new Command.Topic("release  friday"));
        CommandParser.Parse("/kick bob").Should().Be(new Command.Kick("bob", null));
        CommandParser.Parse("/kick bob  stop that").Should().Be(new Command.Kick("bob", "stop that"));
        CommandParser.Parse("/invite bob").Should().Be(new Command.Invite("bob", null));
        CommandParser.Parse("/invite bob #dev").Should().Be(new Command.Invite("bob", "#dev"));
    }

    [Test]
    public void Mode_takes_mode_words_with_their_arguments_in_either_order()
    {
        CommandParser.Parse("/mode #dev").Should().Be(new Command.ShowModes("#dev"));
        CommandParser.Parse("/mode #dev +m-t+k key +l 10").Should().Be(new Command.Mode("#dev",
            [new ModeChange(true, 'm'), new ModeChange(false, 't'), new ModeChange(true, 'k', "key"), new ModeChange(true, 'l', "10")]));
        CommandParser.Parse("/mode #dev +kl-o key 10 bob -k").Should().Be(new Command.Mode("#dev",
            [new ModeChange(true, 'k', "key"), new ModeChange(true, 'l', "10"), new ModeChange(false, 'o', "bob"), new ModeChange(false, 'k')]));
        CommandParser.Parse("/mode #dev +x").Should().Be(new Command.Mode("#dev", [new ModeChange(true, 'x')]));
    }

    [TestCase("/op", "usage: /op NICK")]
    [TestCase("/op a b", "usage: /op NICK")]
    [TestCase("/voice 9", "invalid nick: 9")]
    [TestCase("/kick", "usage: /kick NICK [REASON]")]
    [TestCase("/kick *", "invalid nick: *")]
    [TestCase("/unban", "usage: /unban MASK")]
    [TestCase("/ban a!b!c", "invalid mask: a mask is nick!user@host, up to 100 characters, * and ? as wildcards")]
    [TestCase("/invite", "usage: /invite NICK [#ROOM]")]
    [TestCase("/invite bob dev", "invalid room name: a room is # followed by 1 to 32 of letters, digits, _ and -")]
    [TestCase("/mode", "usage: /mode #ROOM [+MODES-MODES ARGUMENTS]")]
    [TestCase("/mode #dev m", "usage: /mode #ROOM [+MODES-MODES ARGUMENTS]")]
    [TestCase("/mode dev +m", "invalid room name: a room is # followed by 1 to 32 of letters, digits, _ and -")]
    public void Moderation_commands_say_what_is_wrong(string line, string message)
    {
        Invalid(line).Should().Be(message);
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
