using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Supervision.Tests.Hosting;

/// <summary>
/// Builds real Generic Hosts (<see cref="Host.CreateApplicationBuilder()"/>, defaults off so no
/// configuration or console logging leaks in) with every log record kept, and stops and disposes
/// them after the test.
/// </summary>
public sealed class TestHosts : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];

    public IHost Build(Action<IServiceCollection> configure, TimeSpan? shutdownTimeout = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddFakeLogging();
        if (shutdownTimeout is { } timeout)
        {
            builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = timeout);
        }

        configure(builder.Services);
        var host = builder.Build();
        _hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            // A bounded stop: a test that left a tree hanging gets it killed, not a hung run.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(timeout.Token);
            host.Dispose();
        }

        _hosts.Clear();
    }
}

public static class TestHostExtensions
{
    public static FakeLogCollector Logs(this IHost host) => host.Services.GetFakeLogCollector();

    public static ISupervisionTree Tree(this IHost host) => host.Services.GetRequiredService<ISupervisionTree>();

    /// <summary>Waits (bounded) until the application was asked to stop, then for the host's stop to finish.</summary>
    public static Task WaitForShutdownAsync(this IHost host, TimeSpan timeout) =>
        HostingAbstractionsHostExtensions.WaitForShutdownAsync(host).WaitAsync(timeout);
}
