using System.Text;

namespace LoadGen;

/// <summary>
/// Nicks as loadgen.c makes them: a role letter, a three-letter tag random per run (so two runs
/// against one server do not collide) and the index in base 36, e.g. <c>fqzk1b</c>.
/// </summary>
internal static class Naming
{
    public static readonly string RunTag = MakeRunTag();

    public static string Nick(char role, int index) => $"{role}{RunTag}{Base36((uint)index)}";

    private static string Base36(uint value)
    {
        const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var builder = new StringBuilder();
        do
        {
            builder.Insert(0, Digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value != 0);
        return builder.ToString();
    }

    private static string MakeRunTag()
    {
        Span<char> tag = stackalloc char[3];
        for (var i = 0; i < tag.Length; i++)
        {
            tag[i] = (char)('a' + Random.Shared.Next(26));
        }

        return new string(tag);
    }
}
