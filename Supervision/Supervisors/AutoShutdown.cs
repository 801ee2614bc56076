namespace Supervision;

/// <summary>
/// When a supervisor stops itself because significant children exited on their own (OTP 24's
/// <c>auto_shutdown</c>). Only exits that are not followed by a restart count; a child stopped by
/// <c>TerminateChildAsync</c> or as a bystander of a group restart never does.
/// </summary>
public enum AutoShutdown
{
    /// <summary>Never; significant children are not allowed.</summary>
    Never,

    /// <summary>Stop (reason shutdown) as soon as any significant child exits without being restarted.</summary>
    AnySignificant,

    /// <summary>Stop (reason shutdown) once no significant child is left running or waiting for a restart attempt (OTP counts <c>{restarting, Pid}</c> as present).</summary>
    AllSignificant,
}
