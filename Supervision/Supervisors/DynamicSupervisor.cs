namespace Supervision;

/// <summary>
/// A supervisor of children started on demand (Elixir's <c>DynamicSupervisor</c>, OTP's
/// <c>simple_one_for_one</c>): one-for-one, optionally bounded by <c>MaxChildren</c>. Children are
/// named by their process. On its own stop it stops all children concurrently, each within its
/// shutdown policy, so the stop takes as long as the slowest child, not the sum.
/// </summary>
public sealed class DynamicSupervisor : SupervisorBase
{
    private readonly DynamicSupervisorOptions _options;
    private readonly HashSet<ChildRecord> _children = [];
    private readonly Dictionary<ProcessId, ChildRecord> _byProcess = [];

    private DynamicSupervisor(DynamicSupervisorOptions options)
        : base(options.Name, options.MaxRestarts, options.Period, options.Backoff, options.TimeProvider, options.LoggerFactory)
    {
        _options = options;
    }

    /// <inheritdoc />
    public override string Description => _options.MaxChildren is { } max ? $"dynamic, max {max}" : "dynamic";

    private protected override IEnumerable<ChildRecord> Children => _children;

    /// <summary>Creates and starts a dynamic supervisor with no children.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static async Task<DynamicSupervisor> StartAsync(DynamicSupervisorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var supervisor = new DynamicSupervisor(options);
        await supervisor.StartAsync(cancellationToken).ConfigureAwait(false);
        return supervisor;
    }

    /// <summary>
    /// Starts a child from <paramref name="spec"/> and supervises it. Returns the process, or null if
    /// its start said "ignore" (nothing is kept). The spec's id need not be unique; it is a label.
    /// </summary>
    /// <exception cref="SupervisorException"><see cref="SupervisorError.MaxChildren"/>: the supervisor holds <c>MaxChildren</c> children (restarting ones included).</exception>
    /// <exception cref="ChildStartException">The start failed; nothing is kept.</exception>
    /// <exception cref="ArgumentException">The spec is invalid (a dynamic supervisor has no significant children).</exception>
    public Task<IProcess?> StartChildAsync(ChildSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate(AutoShutdown.Never);
        return RequestAsync(async cancellationToken =>
        {
            if (_options.MaxChildren is { } max && _children.Count >= max)
            {
                throw new SupervisorException(SupervisorError.MaxChildren, Name, spec.Id);
            }

            var child = new ChildRecord(spec);
            IProcess? process;
            try
            {
                process = await StartChildProcessAsync(child, isRestart: false, cancellationToken).ConfigureAwait(false);
            }
            catch (ChildStartException failed) when (failed.InnerException is SupervisorException { Error: SupervisorError.AlreadyStarted } taken)
            {
                // As Elixir's start_child: {:error, {:already_started, pid}} unwrapped.
                throw taken;
            }

            if (process is not null)
            {
                _children.Add(child);
                _byProcess.Add(process.Id, child);
            }

            return process;
        });
    }

    /// <summary>
    /// Stops the child <paramref name="process"/> by its shutdown policy and forgets it; it is not
    /// restarted. Also accepts the last process of a child that is waiting for a restart.
    /// </summary>
    /// <exception cref="SupervisorException"><see cref="SupervisorError.NotFound"/>: not a child of this supervisor (or already gone).</exception>
    public Task TerminateChildAsync(IProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return RequestAsync(async cancellationToken =>
        {
            if (!_byProcess.TryGetValue(process.Id, out var child))
            {
                throw new SupervisorException(SupervisorError.NotFound, Name, null);
            }

            await ShutdownChildAsync(child, cancellationToken).ConfigureAwait(false);
            RemoveChild(child);
            return true;
        });
    }

    /// <summary>Stops all children concurrently, each by its own shutdown policy, as DynamicSupervisor does.</summary>
    protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken)
    {
        var stops = _children.Select(child => ShutdownChildAsync(child, cancellationToken)).ToList();
        await Task.WhenAll(stops).ConfigureAwait(false);
    }

    private protected override void ReportStarted(ChildRecord child, IProcess process) =>
        SupervisorLog.DynamicChildStarted(Logger, Name, child.Spec.Id, process.Id);

    private protected override bool IsChild(ChildRecord child) => _children.Contains(child);

    private protected override void RemoveChild(ChildRecord child)
    {
        _children.Remove(child);
        if (child.LastProcessId is { } last)
        {
            _byProcess.Remove(last);
        }
    }

    /// <summary>A child that is not restarted leaves no record behind.</summary>
    private protected override void OnChildNotRestarted(ChildRecord child, ExitReason reason) => RemoveChild(child);

    private protected override async Task<ChildRecord?> RestartByStrategyAsync(ChildRecord child, CancellationToken cancellationToken)
    {
        var previous = child.LastProcessId;
        try
        {
            var process = await StartChildProcessAsync(child, isRestart: true, cancellationToken).ConfigureAwait(false);
            if (previous is { } old)
            {
                _byProcess.Remove(old);
            }

            if (process is null)
            {
                // A restart that says "ignore" removes the child (Elixir's DynamicSupervisor).
                _children.Remove(child);
                return null;
            }

            _byProcess.Add(process.Id, child);
            return null;
        }
        catch (ChildStartException)
        {
            child.Restarting = true;
            return child;
        }
    }
}
