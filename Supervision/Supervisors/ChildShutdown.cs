namespace Supervision;

/// <summary>
/// Stops one child by its shutdown policy, as OTP's <c>shutdown/1</c>: waits on the child's
/// completion (a monitor, never the child's cooperation), so under a timeout policy a child that
/// ignores its stop request costs the supervisor at most that timeout (under infinity, as long as it takes).
/// </summary>
internal static class ChildShutdown
{
    /// <summary>Stops <paramref name="process"/> and returns its exit reason. <paramref name="abandon"/> cancels the wait (the supervisor itself was killed).</summary>
    public static async Task<ExitReason> StopAsync(IProcess process, ShutdownPolicy policy, TimeProvider timeProvider, CancellationToken abandon)
    {
        if (policy.Kind == ShutdownKind.BrutalKill)
        {
            process.Kill();
            return await process.Completion.WaitAsync(abandon).ConfigureAwait(false);
        }

        process.Stop(ExitReason.Shutdown);
        if (policy.Kind == ShutdownKind.Infinity)
        {
            return await process.Completion.WaitAsync(abandon).ConfigureAwait(false);
        }

        try
        {
            return await process.Completion.WaitAsync(policy.Timeout, timeProvider, abandon).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill();
            return await process.Completion.WaitAsync(abandon).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether <paramref name="reason"/> is what OTP's <c>shutdown/1</c> accepts from a child it shut
    /// down; anything else is a <c>shutdown_error</c>. <c>killed</c> only under brutal_kill (a kill
    /// after an expired timeout is reported); plain <c>shutdown</c> always, except from a permanent
    /// brutal_kill child; <c>{shutdown, T}</c> and <c>normal</c> only from children that are not permanent.
    /// </summary>
    public static bool IsExpected(ExitReason reason, ChildSpec spec)
    {
        var brutalKill = spec.EffectiveShutdown.Kind == ShutdownKind.BrutalKill;
        var permanent = spec.Restart == RestartType.Permanent;
        return reason.Kind switch
        {
            ExitKind.Killed => brutalKill,
            ExitKind.Shutdown when reason.Detail is null => !(brutalKill && permanent),
            ExitKind.Shutdown or ExitKind.Normal => !permanent,
            _ => false,
        };
    }
}
