namespace Supervision;

/// <summary>The state of a child as introspection reports it.</summary>
public enum ChildState
{
    /// <summary>Running: it has a live process.</summary>
    Running,

    /// <summary>Its restart failed and another attempt is pending (OTP's <c>restarting</c>).</summary>
    Restarting,

    /// <summary>Its spec is kept but it has no process (OTP's <c>undefined</c>): terminated, ignored at start, or a transient child that finished.</summary>
    Terminated,
}
