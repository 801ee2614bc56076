namespace Supervision;

/// <summary>A supervisor's record of one child (OTP's <c>#child{}</c>). Touched only by the supervisor's loop.</summary>
internal sealed class ChildRecord(ChildSpec spec) : IDownListener
{
    public ChildSpec Spec { get; } = spec;

    /// <summary>The live incarnation, or null when terminated or restarting.</summary>
    public IProcess? Process { get; set; }

    /// <summary>The last incarnation, kept while restarting so that a dynamic child can still be named by it.</summary>
    public ProcessId? LastProcessId { get; set; }

    public bool Restarting { get; set; }

    public ExitReason? LastExitReason { get; set; }

    public int RestartCount { get; set; }

    public ChildState State => Process is not null ? ChildState.Running
        : Restarting ? ChildState.Restarting
        : ChildState.Terminated;

    public ChildInfo ToInfo() => new(Spec.Id, Spec.Type, State, Process, Spec.Restart, RestartCount);

    /// <summary>The child's process exited: its supervisor (the state) is told on the exiting thread.</summary>
    void IDownListener.OnDown(ProcessDown down, object state) => ((SupervisorBase)state).OnChildDown(this, down);
}
