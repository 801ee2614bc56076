using Supervision.Tests.Support;

namespace Supervision.Tests.Supervisors;

/// <summary>
/// What every static-supervisor fixture shares: a fresh <see cref="EventLog"/> and
/// <see cref="TestChildren"/> per test, and a tear-down that stops every supervisor the test started,
/// so no test leaks running children into the next.
/// </summary>
public abstract class SupervisorTestBase
{
    /// <summary>How long a test waits for anything before it fails rather than hangs.</summary>
    protected static readonly TimeSpan Wait = EventLog.DefaultWait;

    private readonly ProcessCleanup _cleanup = new();

    protected EventLog Log { get; private set; } = new();

    protected TestChildren Children { get; private set; } = new(new EventLog());

    /// <summary>Flags for tests that do not test intensity: enough restarts and a long window that intensity never interferes.</summary>
    protected static SupervisorOptions Options(SupervisionStrategy strategy = SupervisionStrategy.OneForOne) => new()
    {
        Strategy = strategy,
        MaxRestarts = 100,
        Period = TimeSpan.FromHours(1),
    };

    [SetUp]
    public void CreateChildren()
    {
        Log = new EventLog();
        Children = new TestChildren(Log);
    }

    [TearDown]
    public Task StopSupervisorsAsync() => _cleanup.StopAllAsync();

    /// <summary>Starts a supervisor that the tear-down stops.</summary>
    protected async Task<Supervisor> StartSupervisorAsync(SupervisorOptions options, params ChildSpec[] specs) =>
        _cleanup.Track(await Supervisor.StartAsync(options, specs));

    /// <summary>The children as the supervisor reports them, by id.</summary>
    protected static async Task<Dictionary<string, ChildInfo>> ChildrenByIdAsync(Supervisor supervisor) =>
        (await supervisor.WhichChildrenAsync()).ToDictionary(c => c.Id);
}
