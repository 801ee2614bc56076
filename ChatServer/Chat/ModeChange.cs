using System.Text;

namespace ChatServer.Chat;

/// <summary>
/// One change of a room's modes, as IRC's MODE carries it: <c>+o alice</c>, <c>-m</c>, <c>+k secret</c>.
/// The modes a room knows are <see cref="Known"/>; any other character is kept, and the room answers it as unknown (472).
/// </summary>
/// <param name="Add">Whether the mode is set (<c>+</c>) or removed (<c>-</c>).</param>
/// <param name="Mode">The mode character.</param>
/// <param name="Argument">The nick (<c>o</c>, <c>v</c>), mask (<c>b</c>), key (<c>k</c>) or limit (<c>l</c>); null for the others.</param>
public sealed record ModeChange(bool Add, char Mode, string? Argument = null)
{
    /// <summary>
    /// The room modes this server knows: <c>o</c> operator, <c>v</c> voice, <c>b</c> ban mask, <c>k</c> key,
    /// <c>l</c> limit, <c>m</c> moderated, <c>n</c> no messages from outside, <c>t</c> topic set by operators only, <c>i</c> invite-only.
    /// In IRC's CHANMODES terms: <c>b,k,l,imnt</c>, with prefixes <c>(ov)@+</c>.
    /// </summary>
    public const string Known = "ovbklmnsti";

    /// <summary>Whether <paramref name="mode"/>, set (<paramref name="add"/>) or removed, takes an argument: <c>o v b k</c> always, <c>l</c> when set.</summary>
    public static bool TakesArgument(bool add, char mode) => mode is 'o' or 'v' or 'b' or 'k' || (mode == 'l' && add);

    /// <summary>
    /// Reads mode words and their arguments: <c>+m-t+k key</c>, <c>+kl key 10</c> (IRC's order) or
    /// <c>+k key +l 10</c>. A word starting with <c>+</c> or <c>-</c> is a mode word unless an earlier mode
    /// still waits for its argument; each mode that takes one (<see cref="TakesArgument"/>) takes the next
    /// other word, in order. A mode left without one has a null argument (the room answers it as missing, except <c>-k</c>).
    /// </summary>
    public static IReadOnlyList<ModeChange> Parse(IReadOnlyList<string> words)
    {
        var changes = new List<ModeChange>();
        var waiting = new Queue<int>();
        foreach (var word in words)
        {
            if (word.Length == 0 && waiting.Count == 0)
            {
                continue;
            }

            if (waiting.Count == 0 && word[0] is '+' or '-')
            {
                var add = true;
                foreach (var c in word)
                {
                    if (c is '+' or '-')
                    {
                        add = c == '+';
                        continue;
                    }

                    if (TakesArgument(add, c))
                    {
                        waiting.Enqueue(changes.Count);
                    }

                    changes.Add(new ModeChange(add, c));
                }

                continue;
            }

            if (waiting.Count > 0)
            {
                var index = waiting.Dequeue();
                changes[index] = changes[index] with { Argument = word };
            }

            // A word with no mode waiting for it is ignored, as IRC servers ignore extra parameters.
        }

        return changes;
    }

    /// <summary>
    /// <paramref name="changes"/> as IRC writes them: the mode characters with a sign only where it changes
    /// (<c>+ov-m</c>), and the arguments in order. Empty when there are none.
    /// </summary>
    public static (string Modes, IReadOnlyList<string> Arguments) Format(IReadOnlyList<ModeChange> changes)
    {
        var modes = new StringBuilder();
        var arguments = new List<string>();
        bool? sign = null;
        foreach (var change in changes)
        {
            if (sign != change.Add)
            {
                modes.Append(change.Add ? '+' : '-');
                sign = change.Add;
            }

            modes.Append(change.Mode);
            if (change.Argument is not null)
            {
                arguments.Add(change.Argument);
            }
        }

        return (modes.ToString(), arguments);
    }

    /// <summary><c>+o alice</c>.</summary>
    public override string ToString() => (Add ? "+" : "-") + Mode + (Argument is null ? "" : " " + Argument);
}
