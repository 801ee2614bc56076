namespace Supervision;

/// <summary>Whether a child is a worker or a supervisor (OTP's <c>type</c> key). Sets the default shutdown.</summary>
public enum ChildType
{
    /// <summary>A worker: default shutdown 5 s.</summary>
    Worker,

    /// <summary>A supervisor: default shutdown infinite, so its whole subtree stops in order.</summary>
    Supervisor,
}
