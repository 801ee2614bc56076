using System.Text;
using ChatServer.Tests.Support;

namespace ChatServer.Tests.BadInput;

/// <summary>The invariant every line the server relays must keep: nothing a terminal would act on.</summary>
internal static class SafeText
{
    private static readonly UTF8Encoding s_strict = new(false, throwOnInvalidBytes: true);

    /// <summary>
    /// Whether <paramref name="c"/> is one of the characters no relayed text may carry: C0 but tab, DEL,
    /// C1, the bidi embeddings, overrides and isolates (issue 4), and the bidi marks and the line and
    /// paragraph separators (docs/security.md).
    /// </summary>
    public static bool IsUnsafe(char c) =>
        (c < ' ' && c != '\t') || c is >= '\u007F' and <= '\u009F' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069'
        || c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029';

    /// <summary>
    /// Fails unless every line is valid UTF-8 without any byte below 0x20 but tab (which may stay,
    /// issue 4), without 0xFF, and without any other character <see cref="IsUnsafe"/> names.
    /// </summary>
    public static void ShouldAllBeSafe(IEnumerable<byte[]> lines)
    {
        foreach (var line in lines)
        {
            var shown = ChatClient.Decode(line);
            line.Should().NotContain(b => (b < 0x20 && b != '\t') || b == 0x7F || b == 0xFF, "no control byte may reach a terminal, in [{0}]", shown);
            var decode = () => s_strict.GetString(line);
            decode.Should().NotThrow("relayed text is valid UTF-8, in [{0}]", shown);
            shown.Where(IsUnsafe).Should().BeEmpty("no C1 control or bidi override may reach a terminal, in [{0}]", shown);
        }
    }
}
