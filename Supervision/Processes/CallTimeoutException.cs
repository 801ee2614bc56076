namespace Supervision;

/// <summary>A call got no reply within its timeout while the process was still alive (OTP's <c>timeout</c>). A late reply is dropped.</summary>
public sealed class CallTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for a call to <paramref name="name"/> that waited <paramref name="timeout"/>.</summary>
    public CallTimeoutException(ProcessId process, string name, TimeSpan timeout)
        : base($"call to {name} {process} got no reply within {timeout.TotalMilliseconds:0} ms")
    {
        Process = process;
        Timeout = timeout;
    }

    /// <summary>The process that did not reply.</summary>
    public ProcessId Process { get; }

    /// <summary>How long the call waited.</summary>
    public TimeSpan Timeout { get; }
}
