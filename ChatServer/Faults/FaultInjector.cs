using ChatServer.Chat;
using Supervision;

namespace ChatServer.Faults;

/// <summary>
/// Test-only crashes of any part of the running tree, for the fault and chaos tests. A crash is
/// an exit with <see cref="ExitReason.Failure(Exception)"/> (the stop callback runs, the supervisor
/// sees an abnormal exit); a kill is <see cref="IProcess.Kill"/> (nothing runs). Every method
/// throws <see cref="InvalidOperationException"/> unless the server was started with fault injection on.
/// </summary>
public sealed class FaultInjector(ChatServices services, bool enabled)
{
    /// <summary>Crashes the service registered as <paramref name="name"/> (see <see cref="ServiceNames"/>). Returns whether it was running.</summary>
    public bool Crash(string name) => Crash(Find(name));

    /// <summary>Kills the service registered as <paramref name="name"/>. Returns whether it was running.</summary>
    public bool Kill(string name)
    {
        var process = Find(name);
        process?.Kill();
        return process is not null;
    }

    /// <summary>Crashes the room named <paramref name="room"/>. Returns whether it existed.</summary>
    public async Task<bool> CrashRoomAsync(string room)
    {
        EnsureEnabled();
        var directory = services.Rooms ?? throw new ServiceUnavailableException();
        return Crash(await directory.FindAsync(room).ConfigureAwait(false));
    }

    /// <summary>Crashes the client whose nick is <paramref name="nick"/>. Returns whether it was connected.</summary>
    public async Task<bool> CrashClientAsync(string nick)
    {
        EnsureEnabled();
        var presence = services.Presence ?? throw new ServiceUnavailableException();
        return Crash((await presence.FindAsync(nick).ConfigureAwait(false))?.Process);
    }

    private static bool Crash(IProcess? process)
    {
        process?.Stop(ExitReason.Failure(new InjectedFaultException($"{process.Name} crashed on purpose (fault injection)")));
        return process is not null;
    }

    private IProcess? Find(string name)
    {
        EnsureEnabled();
        return services.Names.WhereIs(name);
    }

    private void EnsureEnabled()
    {
        if (!enabled)
        {
            throw new InvalidOperationException("fault injection is off; start the server with --enable-fault-injection");
        }
    }
}
