namespace Supervision;

/// <summary>How a supervisor stops a child (OTP's <c>shutdown</c> key).</summary>
public enum ShutdownKind
{
    /// <summary>Kill at once (<see cref="IProcess.Kill"/>). Numbered from 1 so that a default <see cref="ShutdownPolicy"/> is invalid rather than brutal.</summary>
    BrutalKill = 1,

    /// <summary>Ask to stop, wait up to the timeout, then kill.</summary>
    Timeout,

    /// <summary>Ask to stop and wait as long as it takes.</summary>
    Infinity,
}
