namespace Supervision;

/// <summary>The notice that a monitored process exited (OTP's <c>{'DOWN', Ref, process, Pid, Reason}</c>).</summary>
/// <param name="Ref">The monitor that fired.</param>
/// <param name="Process">The process that exited.</param>
/// <param name="Reason">Why it exited.</param>
public sealed record ProcessDown(MonitorRef Ref, IProcess Process, ExitReason Reason);
