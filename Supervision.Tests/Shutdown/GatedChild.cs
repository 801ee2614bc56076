using Supervision.Tests.Support;

namespace Supervision.Tests.Shutdown;

/// <summary>
/// A worker whose stop callback waits for a gate, like OTP's <c>supervisor_2</c> (delayed exit):
/// it records "terminating:id" on entering the callback and "stop:id:reason" once the gate opens.
/// </summary>
public sealed class GatedChild : Worker<object>
{
    private readonly EventLog _log;
    private readonly Task _gate;

    public GatedChild(string id, EventLog log, Task gate)
        : base(new WorkerOptions { Name = id })
    {
        ChildId = id;
        _log = log;
        _gate = gate;
    }

    public string ChildId { get; }

    /// <summary>A child spec whose every incarnation is a <see cref="GatedChild"/>, reported through <paramref name="started"/>.</summary>
    public static ChildSpec Spec(string id, EventLog log, Task gate, ShutdownPolicy? shutdown, Action<GatedChild> started) => new()
    {
        Id = id,
        Shutdown = shutdown,
        Start = async cancellationToken =>
        {
            var child = new GatedChild(id, log, gate);
            await child.StartAsync(cancellationToken);
            started(child);
            return child;
        },
    };

    protected override ValueTask InitAsync(CancellationToken cancellationToken)
    {
        _log.Add($"start:{ChildId}");
        return ValueTask.CompletedTask;
    }

    protected override ValueTask HandleAsync(object message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        _log.Add($"terminating:{ChildId}");
        await _gate.WaitAsync(cancellationToken);
        _log.Add($"stop:{ChildId}:{reason.Kind.ToString().ToLowerInvariant()}");
    }
}
