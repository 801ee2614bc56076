using ChatServer.Chat;

namespace ChatServer.Tests.Chat;

public class MaskPatternTests
{
    [TestCase("bob", "bob!*@*")]
    [TestCase("*@host.example", "*!*@host.example")]
    [TestCase("bob!x", "bob!x@*")]
    [TestCase("bob!x@h", "bob!x@h")]
    [TestCase("!@", "*!*@*")]
    [TestCase("u@h@cloak", "*!u@h@cloak")]
    public void A_mask_is_completed_to_nick_user_and_host(string mask, string normalized)
    {
        MaskPattern.Normalize(mask).Should().Be(normalized);
    }

    [TestCase("bob!*@*", "Bob", null, "x", true)]
    [TestCase("b?b!*@*", "bib", null, "x", true)]
    [TestCase("b?b!*@*", "bb", null, "x", false)]
    [TestCase("*!alice@*", "alice", null, "x", true, Description = "a line user's user is the nick")]
    [TestCase("*!alice@*", "bob", "alice", "x", true)]
    [TestCase("*!alice@*", "alice", "other", "x", false)]
    [TestCase("*!*@*.EXAMPLE", "bob", "u", "c1.example", true)]
    [TestCase("*!*@*.example", "bob", "u", "example", false)]
    [TestCase("*a*b*c!*@*", "xaybzc", null, "h", true)]
    [TestCase("*a*b*c!*@*", "xaybz", null, "h", false)]
    [TestCase("no-bang", "no-bang", null, "h", false, Description = "only normalised masks match")]
    public void A_mask_matches_nick_user_and_host_each_with_wildcards_ignoring_case(string mask, string nick, string? user, string host, bool matches)
    {
        MaskPattern.Matches(mask, nick, new PersonMask(user, host)).Should().Be(matches);
    }

    [TestCase("", false)]
    [TestCase("a b", false)]
    [TestCase("a,b", false)]
    [TestCase("a!b!c", false)]
    [TestCase("*", true)]
    [TestCase("*!*@10.*", true)]
    public void A_mask_is_valid_without_spaces_commas_or_a_second_bang(string mask, bool valid)
    {
        MaskPattern.IsValid(mask).Should().Be(valid);
    }
}
