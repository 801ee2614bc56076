using System.Diagnostics.Metrics;

namespace Supervision;

/// <summary>
/// Counters under the meter <c>Supervision</c>, tagged with the supervisor's name (<c>supervisor</c>),
/// so that <c>dotnet-counters monitor --counters Supervision</c> or an OpenTelemetry exporter can
/// watch a running tree. <c>supervision.restarts</c> and <c>supervision.crashes</c> also carry the
/// child spec id (<c>child</c>), bounded to 100 distinct ids per supervisor (the rest share
/// <c>_other</c>); no tag ever carries a process id.
/// </summary>
public static class SupervisionMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Supervision";

    private static readonly Meter s_meter = new(MeterName);

    internal static readonly Counter<long> Restarts = s_meter.CreateCounter<long>(
        "supervision.restarts", unit: "{restart}", description: "Child restarts performed by supervisors, by supervisor and child (the child whose exit caused a group restart).");

    internal static readonly Counter<long> Crashes = s_meter.CreateCounter<long>(
        "supervision.crashes", unit: "{exit}", description: "Abnormal child exits (failure or killed) seen by supervisors, by supervisor and child.");

    /// <summary>What <c>supervision.children.active</c> reports.</summary>
    internal static readonly ActiveChildCounts ActiveChildren = new();

    private static readonly ObservableUpDownCounter<long> s_activeChildren = s_meter.CreateObservableUpDownCounter(
        "supervision.children.active", ActiveChildren.Observe, unit: "{process}", description: "Running children, by supervisor (read at each collection).");

    internal static readonly Counter<long> GaveUp = s_meter.CreateCounter<long>(
        "supervision.gave_up", unit: "{supervisor}", description: "Supervisors that reached their restart intensity.");

    internal static readonly Counter<long> ShutdownErrors = s_meter.CreateCounter<long>(
        "supervision.shutdown_errors", unit: "{exit}", description: "Children that exited with an unexpected reason when their supervisor stopped them (OTP's shutdown_error), a kill after an expired shutdown timeout included.");

    internal static KeyValuePair<string, object?> Tag(string supervisor) => new("supervisor", supervisor);
}
