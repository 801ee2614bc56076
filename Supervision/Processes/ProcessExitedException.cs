namespace Supervision;

/// <summary>
/// A request to a process failed because the process has exited, before or during the request
/// (OTP's <c>noproc</c>, or the server's exit reason for a call that was in flight).
/// </summary>
public sealed class ProcessExitedException : Exception
{
    /// <summary>Creates the exception for <paramref name="process"/>, which exited with <paramref name="reason"/>.</summary>
    public ProcessExitedException(ProcessId process, string name, ExitReason reason)
        : base($"process {name} {process} exited: {reason}", reason.Exception)
    {
        Process = process;
        ProcessName = name;
        Reason = reason;
    }

    /// <summary>The process that exited.</summary>
    public ProcessId Process { get; }

    /// <summary>The name of the process that exited.</summary>
    public string ProcessName { get; }

    /// <summary>Why it exited.</summary>
    public ExitReason Reason { get; }
}
