namespace Supervision;

/// <summary>Registers a child's <see cref="ChildSpec.RegisterAs"/> name for a new incarnation, as OTP's start function does with a registered name.</summary>
internal static class ChildRegistration
{
    /// <summary>Registers the child's name for <paramref name="process"/>; if another live process holds it, stops <paramref name="process"/> by the child's shutdown policy and throws.</summary>
    /// <exception cref="NameTakenException">Another live process holds the name.</exception>
    public static async Task RegisterAsync(ChildRecord child, IProcess process, TimeProvider timeProvider)
    {
        if (child.Spec.RegisterAs is not { } name)
        {
            return;
        }

        try
        {
            if (name.Registry.TryRegister(name.Name, process))
            {
                return;
            }
        }
        catch (ProcessExitedException)
        {
            // It exited already: its monitor reports the exit, as for any child.
            return;
        }

        var holder = name.Registry.WhereIs(name.Name);
        await ChildShutdown.StopAsync(process, child.Spec.EffectiveShutdown, timeProvider, CancellationToken.None).ConfigureAwait(false);
        throw new NameTakenException(name.Name, holder);
    }
}
