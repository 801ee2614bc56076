namespace Supervision;

/// <summary>OTP's <c>count_children</c>.</summary>
/// <param name="Specs">All children, running or not.</param>
/// <param name="Active">Children with a live process (restarting ones excluded).</param>
/// <param name="Supervisors">Children of type supervisor, running or not.</param>
/// <param name="Workers">Children of type worker, running or not.</param>
public sealed record ChildCounts(int Specs, int Active, int Supervisors, int Workers);
