namespace Supervision;

/// <summary>The four classes of exit reason, as OTP distinguishes them.</summary>
public enum ExitKind
{
    /// <summary>The process finished its work (OTP <c>normal</c>). Not logged; transient children are not restarted.</summary>
    Normal,

    /// <summary>The process was asked to stop, by its supervisor or an operator (OTP <c>shutdown</c> and <c>{shutdown, Term}</c>). Not logged; transient children are not restarted.</summary>
    Shutdown,

    /// <summary>The process was stopped by force (OTP <c>killed</c>): it ran no stop callback. Abnormal.</summary>
    Killed,

    /// <summary>The process crashed with an exception. Abnormal.</summary>
    Failure,
}
