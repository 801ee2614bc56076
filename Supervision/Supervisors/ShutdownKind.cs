namespace Supervision;

/// <summary>How a supervisor stops a child (OTP's <c>shutdown</c> key).</summary>
public enum ShutdownKind
{
    /// <summary>Kill at once (<see cref="IProcess.Kill"/>).</summary>
    BrutalKill,

    /// <summary>Ask to stop, wait up to the timeout, then kill.</summary>
    Timeout,

    /// <summary>Ask to stop and wait as long as it takes.</summary>
    Infinity,
}
