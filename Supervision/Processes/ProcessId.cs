namespace Supervision;

/// <summary>A process's unique identity within this program, like an Erlang pid. Never reused.</summary>
public readonly record struct ProcessId(long Value)
{
    private static long s_last;

    internal static ProcessId Next() => new(Interlocked.Increment(ref s_last));

    /// <summary>Erlang-like text, e.g. <c>&lt;0.42&gt;</c>.</summary>
    public override string ToString() => $"<0.{Value}>";
}
