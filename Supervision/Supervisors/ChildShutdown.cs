namespace Supervision;

/// <summary>
/// Stops one child by its shutdown policy, as OTP's <c>shutdown/1</c>: waits on the child's
/// completion (a monitor, never the child's cooperation), so a child that ignores its stop request
/// cannot hang the supervisor beyond its timeout.
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

    /// <summary>Whether <paramref name="reason"/> is what OTP accepts from a child it shut down; anything else is a shutdown error.</summary>
    public static bool IsExpected(ExitReason reason, ChildSpec spec) => reason.Kind switch
    {
        ExitKind.Shutdown => spec.Restart != RestartType.Permanent || reason.Detail is null,
        ExitKind.Killed => spec.EffectiveShutdown.Kind != ShutdownKind.Infinity,
        ExitKind.Normal => spec.Restart != RestartType.Permanent,
        _ => false,
    };
}
