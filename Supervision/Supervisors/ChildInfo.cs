namespace Supervision;

/// <summary>One child as introspection reports it (OTP's <c>which_children</c> entry, plus the restart count).</summary>
/// <param name="Id">The child's id.</param>
/// <param name="Type">Worker or supervisor.</param>
/// <param name="State">Running, restarting or terminated.</param>
/// <param name="Process">The live process, or <see langword="null"/> unless <see cref="ChildState.Running"/>.</param>
/// <param name="Restart">The child's restart type.</param>
/// <param name="RestartCount">How many times this supervisor restarted the child.</param>
public sealed record ChildInfo(string Id, ChildType Type, ChildState State, IProcess? Process, RestartType Restart, int RestartCount);
