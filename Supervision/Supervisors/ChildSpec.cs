namespace Supervision;

/// <summary>
/// How a supervisor starts, restarts and stops one child (OTP's child specification). Defaults are
/// OTP's: permanent, worker, shutdown 5 s for workers and infinity for supervisors, not significant.
/// </summary>
public sealed record ChildSpec
{
    /// <summary>The child's id, unique within a static supervisor.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// Creates and starts a new incarnation of the child and returns it, or returns
    /// <see langword="null"/> to say "ignore" (OTP's <c>ignore</c>). Called again on every restart.
    /// An exception is a start failure: the supervisor reports it as a <see cref="ChildStartException"/>.
    /// </summary>
    public required Func<CancellationToken, Task<IProcess?>> Start { get; init; }

    /// <summary>
    /// When the child is restarted.
    /// <value>The default is <see cref="RestartType.Permanent"/>.</value>
    /// </summary>
    public RestartType Restart { get; init; } = RestartType.Permanent;

    /// <summary>
    /// How the child is stopped, or <see langword="null"/> for the default of its <see cref="Type"/>.
    /// <value>The default is <see langword="null"/>: 5 s for a worker, infinity for a supervisor.</value>
    /// </summary>
    public ShutdownPolicy? Shutdown { get; init; }

    /// <summary>
    /// Worker or supervisor.
    /// <value>The default is <see cref="ChildType.Worker"/>.</value>
    /// </summary>
    public ChildType Type { get; init; } = ChildType.Worker;

    /// <summary>
    /// Whether the child's own exit may stop its supervisor (see <see cref="AutoShutdown"/>). Only
    /// allowed for transient and temporary children under a supervisor whose auto-shutdown is not never.
    /// <value>The default is <see langword="false"/>.</value>
    /// </summary>
    public bool Significant { get; init; }

    /// <summary>
    /// A name to register each incarnation under (OTP's <c>{local, Name}</c>, Elixir's <c>name:</c>),
    /// or <see langword="null"/>. The supervisor registers every new incarnation as soon as its start
    /// returns, and the registry releases the name when it exits. If another live process holds the
    /// name, the new incarnation is stopped by its shutdown policy and the start fails with
    /// <see cref="SupervisorError.AlreadyStarted"/> naming the holder: <c>StartChildAsync</c> throws that
    /// <see cref="SupervisorException"/> itself, a supervisor's start or a restart wraps it in a
    /// <see cref="ChildStartException"/>. Unlike OTP the name is taken after the child's init, not before.
    /// <value>The default is <see langword="null"/>: no name.</value>
    /// </summary>
    public ProcessName? RegisterAs { get; init; }

    /// <summary>The shutdown in force: <see cref="Shutdown"/>, or the default of <see cref="Type"/>.</summary>
    public ShutdownPolicy EffectiveShutdown =>
        Shutdown ?? (Type == ChildType.Supervisor ? ShutdownPolicy.Infinity : ShutdownPolicy.DefaultForWorker);

    /// <summary>A worker child whose every incarnation is made by <paramref name="factory"/> and started with <see cref="IProcess.StartAsync"/>.</summary>
    public static ChildSpec ForWorker<TProcess>(string id, Func<TProcess> factory, RestartType restart = RestartType.Permanent)
        where TProcess : IProcess
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new ChildSpec
        {
            Id = id,
            Restart = restart,
            Start = async cancellationToken =>
            {
                var process = factory();
                await process.StartAsync(cancellationToken).ConfigureAwait(false);
                return process;
            },
        };
    }

    /// <summary>A static supervisor child; each incarnation starts afresh from <paramref name="children"/> (children added at run time are lost, as in OTP).</summary>
    public static ChildSpec ForSupervisor(string id, SupervisorOptions options, IEnumerable<ChildSpec> children)
    {
        ArgumentNullException.ThrowIfNull(options);
        var specs = children.ToArray();
        return new ChildSpec
        {
            Id = id,
            Type = ChildType.Supervisor,
            Start = async cancellationToken => await Supervision.Supervisor.StartAsync(options, specs, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>A dynamic supervisor child; each incarnation starts with no children.</summary>
    public static ChildSpec ForDynamicSupervisor(string id, DynamicSupervisorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ChildSpec
        {
            Id = id,
            Type = ChildType.Supervisor,
            Start = async cancellationToken => await Supervision.DynamicSupervisor.StartAsync(options, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// Checks a supervisor's child list as OTP's <c>check_childspecs/2</c>: every spec as in
    /// <see cref="Validate"/>, and no two with the same id (<c>duplicate_child_name</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The first problem found, named by its OTP tag.</exception>
    public static void ValidateAll(IEnumerable<ChildSpec> specs, AutoShutdown autoShutdown = AutoShutdown.Never)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            ArgumentNullException.ThrowIfNull(spec);
            spec.Validate(autoShutdown);
            if (!ids.Add(spec.Id))
            {
                throw new ArgumentException($"duplicate_child_name: {spec.Id}", nameof(specs));
            }
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the OTP error for an invalid spec: missing id or
    /// start, undefined enum values, an empty registered name (<c>invalid_name</c>), or
    /// <c>bad_combination</c> of significant with permanent or with auto-shutdown never. Duplicate
    /// ids are a property of a list: see <see cref="ValidateAll"/>.
    /// </summary>
    public void Validate(AutoShutdown autoShutdown = AutoShutdown.Never)
    {
        if (string.IsNullOrEmpty(Id))
        {
            throw new ArgumentException("missing_id: a child spec needs an id", nameof(Id));
        }

        if (Start is null)
        {
            throw new ArgumentException($"missing_start: child {Id} needs a start function", nameof(Start));
        }

        if (!Enum.IsDefined(Restart))
        {
            throw new ArgumentException($"invalid_restart_type: {Restart} (child {Id})", nameof(Restart));
        }

        if (!Enum.IsDefined(Type))
        {
            throw new ArgumentException($"invalid_child_type: {Type} (child {Id})", nameof(Type));
        }

        if (Shutdown is { Kind: var kind } && !Enum.IsDefined(kind))
        {
            throw new ArgumentException($"invalid_shutdown: {kind} (child {Id})", nameof(Shutdown));
        }

        if (RegisterAs is { } name && (name.Registry is null || string.IsNullOrEmpty(name.Name)))
        {
            throw new ArgumentException($"invalid_name: child {Id} needs a registry and a non-empty name", nameof(RegisterAs));
        }

        if (Significant && Restart == RestartType.Permanent)
        {
            throw new ArgumentException($"bad_combination: a permanent child cannot be significant (child {Id})", nameof(Significant));
        }

        if (Significant && autoShutdown == AutoShutdown.Never)
        {
            throw new ArgumentException($"bad_combination: significant child {Id} under a supervisor whose auto-shutdown is never", nameof(Significant));
        }
    }
}
