namespace Supervision;

/// <summary>Why a supervisor refused a management request; named after OTP's error returns.</summary>
public enum SupervisorError
{
    /// <summary>No child with that id (or process) (OTP <c>not_found</c>).</summary>
    NotFound,

    /// <summary>A child with that id is running, or another live process holds the child's <see cref="ChildSpec.RegisterAs"/> name (OTP <c>{already_started, Pid}</c>); <see cref="SupervisorException.Process"/> is it.</summary>
    AlreadyStarted,

    /// <summary>A child with that id is stored but not running (OTP <c>already_present</c>).</summary>
    AlreadyPresent,

    /// <summary>The child is running, so it cannot be restarted or deleted (OTP <c>running</c>).</summary>
    Running,

    /// <summary>The child is waiting for a restart attempt (OTP <c>restarting</c>).</summary>
    Restarting,

    /// <summary>A dynamic supervisor is at its <c>MaxChildren</c> (Elixir <c>max_children</c>).</summary>
    MaxChildren,
}
