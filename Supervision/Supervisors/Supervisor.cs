namespace Supervision;

/// <summary>
/// A static supervisor (OTP's <c>supervisor</c> with one-for-one, one-for-all or rest-for-one):
/// starts its children in list order, restarts them by its strategy and the children's restart
/// types, gives up after too many restarts, and stops them in reverse order.
/// </summary>
/// <remarks>
/// Starting, restarting and terminating children are synchronous on the supervisor's loop, as in
/// OTP: a child with a slow start delays the supervisor's other requests. A failed restart is
/// retried after the requests already queued, so the supervisor stays answerable during a restart loop.
/// </remarks>
public sealed class Supervisor : SupervisorBase
{
    private readonly SupervisorOptions _options;
    private readonly List<ChildRecord> _children = [];
    private readonly Dictionary<string, ChildRecord> _byId = new(StringComparer.Ordinal);
    private readonly ChildSpec[] _initialSpecs;

    private Supervisor(SupervisorOptions options, ChildSpec[] specs)
        : base(options.Name, options.MaxRestarts, options.Period, options.Backoff, options.TimeProvider, options.LoggerFactory)
    {
        _options = options;
        _initialSpecs = specs;
    }

    /// <inheritdoc />
    public override string Description => _options.Strategy switch
    {
        SupervisionStrategy.OneForOne => "one_for_one",
        SupervisionStrategy.OneForAll => "one_for_all",
        _ => "rest_for_one",
    };

    private protected override IEnumerable<ChildRecord> Children => _children;

    /// <summary>
    /// Creates a supervisor and starts its children in list order; returns once all have started
    /// (OTP's <c>start_link</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The options or a spec are invalid, or two specs share an id (<c>duplicate_child_name</c>); nothing was started.</exception>
    /// <exception cref="ChildStartException">A child failed to start: those already started were stopped in reverse order, and the supervisor has exited.</exception>
    public static async Task<Supervisor> StartAsync(SupervisorOptions options, IEnumerable<ChildSpec> children, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(children);
        options.Validate();
        var specs = children.ToArray();
        ChildSpec.ValidateAll(specs, options.AutoShutdown);

        var supervisor = new Supervisor(options, specs);
        await supervisor.StartAsync(cancellationToken).ConfigureAwait(false);
        return supervisor;
    }

    /// <summary>
    /// Adds a child at run time and starts it (OTP's <c>start_child/2</c>). Returns the process, or
    /// null if its start said "ignore" (the spec is then kept, unless temporary).
    /// </summary>
    /// <exception cref="SupervisorException"><see cref="SupervisorError.AlreadyStarted"/> if a child with that id runs; <see cref="SupervisorError.AlreadyPresent"/> if one is stored but not running.</exception>
    /// <exception cref="ChildStartException">The start failed; the spec is not kept.</exception>
    /// <exception cref="ArgumentException">The spec is invalid.</exception>
    public Task<IProcess?> StartChildAsync(ChildSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate(_options.AutoShutdown);
        return RequestAsync(async cancellationToken =>
        {
            if (_byId.TryGetValue(spec.Id, out var existing))
            {
                throw existing.Process is { } running
                    ? new SupervisorException(SupervisorError.AlreadyStarted, Name, spec.Id, running)
                    : new SupervisorException(SupervisorError.AlreadyPresent, Name, spec.Id);
            }

            var child = new ChildRecord(spec);
            IProcess? process;
            try
            {
                process = await StartChildProcessAsync(child, isRestart: false, cancellationToken).ConfigureAwait(false);
            }
            catch (ChildStartException failed) when (failed.InnerException is SupervisorException { Error: SupervisorError.AlreadyStarted } taken)
            {
                // OTP's start_child passes {already_started, Pid} through unwrapped.
                throw taken;
            }

            if (process is not null || spec.Restart != RestartType.Temporary)
            {
                Add(child);
            }

            return process;
        });
    }

    /// <summary>
    /// Stops a child by its shutdown policy and keeps its spec (drops it if temporary); it is not
    /// restarted, whatever its restart type (OTP's <c>terminate_child/2</c>). Stops a pending restart
    /// too. Idempotent on a child that is not running.
    /// </summary>
    /// <exception cref="SupervisorException"><see cref="SupervisorError.NotFound"/>.</exception>
    public Task TerminateChildAsync(string id) => RequestAsync(async cancellationToken =>
    {
        var child = Find(id);
        await ShutdownChildAsync(child, cancellationToken).ConfigureAwait(false);
        if (child.Spec.Restart == RestartType.Temporary)
        {
            RemoveChild(child);
        }

        return true;
    });

    /// <summary>
    /// Starts a stored child that is not running (OTP's <c>restart_child/2</c>). Returns the process,
    /// or null on "ignore". Does not count against restart intensity.
    /// </summary>
    /// <exception cref="SupervisorException"><see cref="SupervisorError.NotFound"/>, <see cref="SupervisorError.Running"/> or <see cref="SupervisorError.Restarting"/>.</exception>
    /// <exception cref="ChildStartException">The start failed; the child stays terminated.</exception>
    public Task<IProcess?> RestartChildAsync(string id) => RequestAsync(cancellationToken =>
    {
        var child = FindStopped(id);
        return new ValueTask<IProcess?>(StartChildProcessAsync(child, isRestart: false, cancellationToken));
    });

    /// <summary>Forgets a stored child that is not running (OTP's <c>delete_child/2</c>).</summary>
    /// <exception cref="SupervisorException"><see cref="SupervisorError.NotFound"/>, <see cref="SupervisorError.Running"/> or <see cref="SupervisorError.Restarting"/>.</exception>
    public Task DeleteChildAsync(string id) => RequestAsync(_ =>
    {
        RemoveChild(FindStopped(id));
        return ValueTask.FromResult(true);
    });

    /// <summary>The spec of a child, defaults included (OTP's <c>get_childspec/2</c>).</summary>
    /// <exception cref="SupervisorException"><see cref="SupervisorError.NotFound"/>.</exception>
    public Task<ChildSpec> GetChildSpecAsync(string id) => RequestAsync(_ => ValueTask.FromResult(Find(id).Spec));

    /// <summary>Starts the children in order; on a failure stops those started, newest first, and fails the start.</summary>
    protected override async ValueTask InitAsync(CancellationToken cancellationToken)
    {
        foreach (var spec in _initialSpecs)
        {
            var child = new ChildRecord(spec);
            try
            {
                var process = await StartChildProcessAsync(child, isRestart: false, cancellationToken).ConfigureAwait(false);
                if (process is not null || spec.Restart != RestartType.Temporary)
                {
                    Add(child);
                }
            }
            catch (Exception failure) when (failure is ChildStartException or OperationCanceledException)
            {
                // The caller's token still counts: a sibling that will not stop is killed once the start is cancelled.
                await ShutdownInReverseAsync(_children, cancellationToken).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Stops every child, newest first, each by its own shutdown policy (OTP stops static children one at a time).</summary>
    protected override async ValueTask TerminateAsync(ExitReason reason, CancellationToken cancellationToken) =>
        await ShutdownInReverseAsync(_children, cancellationToken).ConfigureAwait(false);

    private protected override bool IsChild(ChildRecord child) =>
        _byId.TryGetValue(child.Spec.Id, out var current) && ReferenceEquals(current, child);

    private protected override void RemoveChild(ChildRecord child)
    {
        if (IsChild(child))
        {
            _byId.Remove(child.Spec.Id);
            _children.Remove(child);
        }
    }

    private protected override void OnChildNotRestarted(ChildRecord child, ExitReason reason)
    {
        if (child.Spec.Restart == RestartType.Temporary)
        {
            RemoveChild(child);
        }

        if (!child.Spec.Significant || IsStopRequested)
        {
            return;
        }

        var shutDown = _options.AutoShutdown switch
        {
            AutoShutdown.AnySignificant => true,
            // As OTP's do_auto_shutdown: a significant child waiting for a restart attempt is still present.
            AutoShutdown.AllSignificant => !_children.Any(c => c.Spec.Significant && c.State != ChildState.Terminated),
            _ => false,
        };
        if (shutDown)
        {
            SupervisorLog.AutoShutdown(Logger, Name, _options.AutoShutdown, child.Spec.Id);
            Stop(ExitReason.Shutdown);
        }
    }

    private protected override async Task<ChildRecord?> RestartByStrategyAsync(ChildRecord child, CancellationToken cancellationToken)
    {
        switch (_options.Strategy)
        {
            case SupervisionStrategy.OneForOne:
                return await StartInOrderAsync([child], cancellationToken).ConfigureAwait(false);

            case SupervisionStrategy.OneForAll:
                await StopBystandersAsync(_children.Where(c => !ReferenceEquals(c, child)).ToList(), cancellationToken).ConfigureAwait(false);
                return await StartInOrderAsync(_children.ToList(), cancellationToken).ConfigureAwait(false);

            default:
                var index = _children.IndexOf(child);
                var later = _children.Skip(index + 1).ToList();
                await StopBystandersAsync(later, cancellationToken).ConfigureAwait(false);
                return await StartInOrderAsync(_children.Skip(index).ToList(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the bystanders of a group restart, newest first; temporary ones are dropped, not restarted (OTP's <c>temporary_bystander</c>).</summary>
    private async Task StopBystandersAsync(List<ChildRecord> bystanders, CancellationToken cancellationToken)
    {
        for (var i = bystanders.Count - 1; i >= 0; i--)
        {
            var bystander = bystanders[i];
            await ShutdownChildAsync(bystander, cancellationToken).ConfigureAwait(false);
            if (bystander.Spec.Restart == RestartType.Temporary)
            {
                RemoveChild(bystander);
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="group"/> in order. At the first failure the failed child is marked
    /// restarting, the ones after it stay terminated, and it is returned; those before keep running.
    /// </summary>
    private async Task<ChildRecord?> StartInOrderAsync(List<ChildRecord> group, CancellationToken cancellationToken)
    {
        foreach (var child in group)
        {
            if (!IsChild(child) || child.Process is not null)
            {
                continue;
            }

            try
            {
                await StartChildProcessAsync(child, isRestart: true, cancellationToken).ConfigureAwait(false);
            }
            catch (ChildStartException)
            {
                child.Restarting = true;
                return child;
            }
        }

        return null;
    }

    private void Add(ChildRecord child)
    {
        _children.Add(child);
        _byId.Add(child.Spec.Id, child);
    }

    private ChildRecord Find(string id) =>
        _byId.TryGetValue(id, out var child) ? child : throw new SupervisorException(SupervisorError.NotFound, Name, id);

    private ChildRecord FindStopped(string id)
    {
        var child = Find(id);
        return child.State switch
        {
            ChildState.Running => throw new SupervisorException(SupervisorError.Running, Name, id, child.Process),
            ChildState.Restarting => throw new SupervisorException(SupervisorError.Restarting, Name, id),
            _ => child,
        };
    }
}
