namespace Supervision;

/// <summary>OTP's <c>count_children</c>.</summary>
/// <param name="Specs">All children, running or not.</param>
/// <param name="Active">Children with a live process (restarting ones excluded).</param>
/// <param name="Supervisors">Children of type supervisor, running or not.</param>
/// <param name="Workers">Children of type worker, running or not.</param>
public sealed record ChildCounts(int Specs, int Active, int Supervisors, int Workers)
{
    /// <summary>Counts a supervisor's child records (on its loop).</summary>
    internal static ChildCounts Of(IEnumerable<ChildRecord> children)
    {
        int specs = 0, active = 0, supervisors = 0;
        foreach (var child in children)
        {
            specs++;
            active += child.Process is { HasExited: false } ? 1 : 0;
            supervisors += child.Spec.Type == ChildType.Supervisor ? 1 : 0;
        }

        return new ChildCounts(specs, active, supervisors, specs - supervisors);
    }
}
