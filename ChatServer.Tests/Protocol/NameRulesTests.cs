using ChatServer.Protocol;

namespace ChatServer.Tests.Protocol;

public class NameRulesTests
{
    [TestCase("a")]
    [TestCase("Z")]
    [TestCase("alice")]
    [TestCase("Bob_the-2nd")]
    [TestCase("_")]
    [TestCase("abcdefghijklmnopqrst")]
    [TestCase("ABCDEFGHIJKLMNOPQRS9")]
    public void A_valid_nick_is_accepted(string nick)
    {
        NickName.IsValid(nick).Should().BeTrue();
    }

    [TestCase("")]
    [TestCase("abcdefghijklmnopqrstu")]
    [TestCase("a b")]
    [TestCase(" a")]
    [TestCase("a\t")]
    [TestCase("*")]
    [TestCase("a*")]
    [TestCase("[a]")]
    [TestCase("a]")]
    [TestCase("<a>")]
    [TestCase("a>")]
    [TestCase("a!")]
    [TestCase("#a")]
    [TestCase("a.b")]
    [TestCase("a/b")]
    [TestCase("é")]
    [TestCase("café")]
    [TestCase("日本")]
    [TestCase("😀")]
    [TestCase("\u212Aelvin")]
    [TestCase("\u0130stanbul")]
    [TestCase("a\u001b")]
    [TestCase("7")]
    [TestCase("-")]
    [TestCase("9lives")]
    public void An_invalid_nick_is_rejected(string nick)
    {
        NickName.IsValid(nick).Should().BeFalse();
    }

    [Test]
    public void The_nick_limit_is_20()
    {
        NickName.MaxLength.Should().Be(20);
        NickName.IsValid(new string('n', 20)).Should().BeTrue();
        NickName.IsValid(new string('n', 21)).Should().BeFalse();
    }

    [Test]
    public void Nicks_compare_case_insensitively()
    {
        NickName.Comparer.Equals("Alice", "aLICE").Should().BeTrue();
        NickName.Comparer.GetHashCode("Alice").Should().Be(NickName.Comparer.GetHashCode("ALICE"));
        NickName.Comparer.Equals("alice", "alice_").Should().BeFalse();
    }

    [TestCase("#a")]
    [TestCase("#lobby")]
    [TestCase("#Dev_Ops-2")]
    [TestCase("#_")]
    [TestCase("#-")]
    [TestCase("#12345678901234567890123456789012")]
    public void A_valid_room_name_is_accepted(string room)
    {
        RoomName.IsValid(room).Should().BeTrue();
    }

    [TestCase("")]
    [TestCase("#")]
    [TestCase("lobby")]
    [TestCase("##a")]
    [TestCase("#a#")]
    [TestCase("#a b")]
    [TestCase("# a")]
    [TestCase("#a*")]
    [TestCase("#[a]")]
    [TestCase("#a.b")]
    [TestCase("#café")]
    [TestCase("#日本")]
    [TestCase("&a")]
    [TestCase("#123456789012345678901234567890123")]
    public void An_invalid_room_name_is_rejected(string room)
    {
        RoomName.IsValid(room).Should().BeFalse();
    }

    [Test]
    public void The_room_name_limit_is_32_after_the_hash()
    {
        RoomName.MaxLength.Should().Be(32);
        RoomName.IsValid("#" + new string('r', 32)).Should().BeTrue();
        RoomName.IsValid("#" + new string('r', 33)).Should().BeFalse();
    }

    [Test]
    public void Room_names_compare_case_insensitively_and_the_lobby_is_valid()
    {
        RoomName.Comparer.Equals("#Lobby", "#LOBBY").Should().BeTrue();
        RoomName.Comparer.Equals("#lobby", "#lobby2").Should().BeFalse();
        RoomName.IsValid(RoomName.Lobby).Should().BeTrue();
        RoomName.Lobby.Should().Be("#lobby");
    }
}
