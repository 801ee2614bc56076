using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatServer.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatServer.Observability;

/// <summary>
/// The HTTP endpoint of <c>--metrics-port</c>: <c>/metrics</c> in Prometheus text (the OpenTelemetry
/// exporter's middleware over <see cref="TelemetryExport.Meters"/>) and <c>/healthz</c> (<see cref="ServerHealth"/>:
/// 200 or 503, the tree as text). Kestrel, from the ASP.NET Core shared framework: a maintained HTTP server
/// that binds port 0 and stops gracefully; it is loaded only when the port is given.
/// </summary>
internal sealed class MetricsEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsEndpoint(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    /// <summary>Where it listens (with the real port when started with port 0).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Listens on <paramref name="address"/>:<paramref name="port"/>.</summary>
    /// <exception cref="ListenerBindException">The address cannot be bound.</exception>
    public static async Task<MetricsEndpoint> StartAsync(IPAddress address, int port, TelemetryExport telemetry, ServerHealth health, ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        // Kestrel's warnings go to the server's log; the chat server, not a console lifetime, decides when it stops.
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, ServerOwnedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(telemetry.Meters, predicate: null, path: "/metrics", configureBranchedPipeline: null, optionsName: null);
        app.Map("/healthz", branch => branch.Run(context => AnswerHealthAsync(context, health)));
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            var socketError = exception.InnerException as SocketException ?? exception.InnerException?.InnerException as SocketException;
            throw new ListenerBindException(new IPEndPoint(address, port), socketError ?? new SocketException((int)SocketError.AddressAlreadyInUse));
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MetricsEndpoint(app, new IPEndPoint(address, new Uri(bound).Port));
    }

    /// <summary>Stops listening, letting requests in flight finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task AnswerHealthAsync(HttpContext context, ServerHealth health)
    {
        var (healthy, text) = await health.CheckAsync().ConfigureAwait(false);
        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(text, Encoding.UTF8).ConfigureAwait(false);
    }
}
