using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Supervision;

/// <summary>Registers supervision trees with the .NET Generic Host (Microsoft.Extensions.Hosting).</summary>
public static class SupervisionServiceCollectionExtensions
{
    /// <summary>
    /// Runs the root process returned by <paramref name="startRoot"/> as a hosted service, and registers
    /// it as a singleton <see cref="ISupervisionTree"/>. Hosted services start in registration order and
    /// stop in reverse, so register a tree after the services it needs and before those that need it.
    /// </summary>
    /// <remarks>
    /// <para><b>Start:</b> the host's <c>StartAsync</c> awaits <paramref name="startRoot"/> with the host's
    /// start token. If it throws, the failure is logged as critical (event 10) and the exception
    /// propagates: the host's start fails. A cancelled start propagates without the critical log.</para>
    /// <para><b>Stop:</b> the host's <c>StopAsync</c> stops the root gracefully
    /// (<see cref="IProcess.Stop"/> with <see cref="ExitReason.Shutdown"/>) and waits for its exit. When
    /// the host's shutdown timeout (<c>HostOptions.ShutdownTimeout</c>) fires first, the overrun is logged
    /// as a warning (event 11), the root is killed (<see cref="IProcess.Kill"/>, which kills its whole
    /// subtree before it returns) and the stop returns once it has exited; it never throws. A root that
    /// exits abnormally during the graceful stop (a stop callback crashed) is logged as critical
    /// (event 10) and sets <see cref="Environment.ExitCode"/> to 1; the host's own kill does not.</para>
    /// <para><b>Exit on its own:</b> a root that exits without being asked stops the application through
    /// <see cref="IHostApplicationLifetime.StopApplication"/>, never a silent restart loop. A root that
    /// gives up (<see cref="ExitReason.IsRestartIntensityExceeded"/>), crashes or is killed is logged as
    /// critical (event 10) and sets <see cref="Environment.ExitCode"/> to 1, as the host does for a
    /// crashed <c>BackgroundService</c>; a root that stops normally (auto-shutdown) is logged as
    /// information (event 12) and leaves the exit code alone (0 unless something else set it).</para>
    /// <para>Logs go to the category <c>Supervision.Host</c> of the registered <see cref="ILoggerFactory"/>, if any.</para>
    /// </remarks>
    /// <param name="services">The host's services.</param>
    /// <param name="startRoot">Starts the root (typically <c>Supervisor.StartAsync</c>) with the service provider and the host's start token.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddSupervisionTree(this IServiceCollection services, Func<IServiceProvider, CancellationToken, Task<IProcess>> startRoot)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(startRoot);

        // A key per registration, so that several trees each get one instance shared by both service types.
        var key = new object();
        services.AddKeyedSingleton(key, (provider, _) => new SupervisionTreeService(
            provider,
            startRoot,
            provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger(SupervisionTreeService.LogCategory) ?? NullLogger.Instance));
        services.AddSingleton<ISupervisionTree>(provider => provider.GetRequiredKeyedService<SupervisionTreeService>(key));
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredKeyedService<SupervisionTreeService>(key));
        return services;
    }
}
