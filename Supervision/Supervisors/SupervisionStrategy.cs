namespace Supervision;

/// <summary>Which children a supervisor restarts when one must be restarted (OTP's <c>strategy</c>).</summary>
public enum SupervisionStrategy
{
    /// <summary>Only the child that exited.</summary>
    OneForOne,

    /// <summary>All children: the others are stopped in reverse start order, then all are started in start order.</summary>
    OneForAll,

    /// <summary>The child that exited and every child started after it: those are stopped newest first, then all restarted in start order. Earlier children are untouched.</summary>
    RestForOne,
}
