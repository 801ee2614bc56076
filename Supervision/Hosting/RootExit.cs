namespace Supervision;

/// <summary>How a host judges a root's exit: one rule for <see cref="SupervisionHost"/> and the hosted service.</summary>
internal static class RootExit
{
    /// <summary>
    /// A crash, a kill, or giving up: the program failed. Giving up is a plain shutdown in OTP's
    /// terms (a transient parent would not restart it), but for a program nobody asked it to stop.
    /// </summary>
    public static bool IsFailure(ExitReason reason) => reason.IsAbnormal || reason.IsRestartIntensityExceeded;
}
