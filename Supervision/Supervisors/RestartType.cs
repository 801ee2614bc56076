namespace Supervision;

/// <summary>When a supervisor restarts a child that exited (OTP's <c>restart</c> key).</summary>
public enum RestartType
{
    /// <summary>Always restarted, whatever the exit reason, including normal.</summary>
    Permanent,

    /// <summary>Restarted only after an abnormal exit (anything but normal and shutdown); otherwise its spec is kept, not running.</summary>
    Transient,

    /// <summary>Never restarted; its spec is dropped when it exits, for any reason.</summary>
    Temporary,
}
