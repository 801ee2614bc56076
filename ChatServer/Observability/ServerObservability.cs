using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Supervision;

namespace ChatServer.Observability;

/// <summary>
/// What the host runs for observability beside the tree: the OpenTelemetry export, the metrics endpoint and its
/// health. Started after the tree is up; at the stop, health turns 503 first and the endpoint closes after the tree stopped.
/// </summary>
internal sealed class ServerObservability : IAsyncDisposable
{
    private readonly TelemetryExport _telemetry;
    private readonly ServerHealth _health;
    private readonly MetricsEndpoint? _endpoint;
    private int _disposed;

    private ServerObservability(TelemetryExport telemetry, ServerHealth health, MetricsEndpoint? endpoint)
    {
        _telemetry = telemetry;
        _health = health;
        _endpoint = endpoint;
    }

    /// <summary>Where <c>/metrics</c> and <c>/healthz</c> are served, or null without a metrics port.</summary>
    public IPEndPoint? MetricsEndPoint => _endpoint?.EndPoint;

    /// <summary>Starts what the options ask for. Not inlined: a server without metrics and OTLP loads none of the SDK or Kestrel.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<ServerObservability> StartAsync(int? metricsPort, IPAddress metricsAddress, Uri? otlp, string instance, Supervisor root, ProcessRegistry names, IReadOnlyList<string> acceptors, ILoggerFactory loggers)
    {
        var telemetry = TelemetryExport.Start(prometheus: metricsPort is not null, otlp, instance);
        var health = new ServerHealth(root, names, acceptors);
        try
        {
            var endpoint = metricsPort is { } port ? await MetricsEndpoint.StartAsync(metricsAddress, port, telemetry, health, loggers).ConfigureAwait(false) : null;
            return new ServerObservability(telemetry, health, endpoint);
        }
        catch
        {
            telemetry.Dispose();
            throw;
        }
    }

    /// <summary>The host began to stop: <c>/healthz</c> answers 503 from now on.</summary>
    public void BeginStopping() => _health.BeginStopping();

    /// <summary>Closes the endpoint and flushes the export; after the tree stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        // The host may be stopped and then disposed.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync().ConfigureAwait(false);
        }

        _telemetry.Dispose();
    }
}
