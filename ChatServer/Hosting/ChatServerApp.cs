using System.CommandLine;
using ChatServer.Hosting.Settings;
using ChatServer.Network;
using ChatServer.Network.Tls;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Supervision;

namespace ChatServer.Hosting;

/// <summary>
/// The program on the .NET Generic Host: configuration from appsettings.json (next to the binary),
/// the environment and the command line; the options validated at start; the console log (text,
/// journald's format under systemd, or JSON); the supervision tree as a hosted service.
/// </summary>
internal static class ChatServerApp
{
    /// <summary>How long a graceful stop (clients told and flushed) may take before the tree is killed.</summary>
    private static readonly TimeSpan s_shutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs the server until SIGINT/SIGTERM (exit code 0) or until its root gives up (1, with a
    /// critical log). A bad setting or a port that cannot be bound prints one <c>error:</c> line on
    /// stderr and returns 2; nothing is left running.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult commandLine, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (Build(commandLine, Environment.GetEnvironmentVariable, errors) is not { } host)
        {
            foreach (var error in errors)
            {
                Console.Error.WriteLine($"error: {error}");
            }

            return 2;
        }

        // The host is IAsyncDisposable (IHost only says IDisposable): ServerInstance closes its sockets asynchronously.
        await using var disposal = (IAsyncDisposable)host;
        try
        {
            host.Services.GetRequiredService<ServerInstance>().OpenListeners();
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (StartError(exception) is { } error)
        {
            Console.Error.WriteLine($"error: {error}");
            return 2;
        }
        catch (ChildStartException)
        {
            // The tree's hosted service logged it as critical.
            return 1;
        }

        await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        return Environment.ExitCode;
    }

    /// <summary>
    /// The host of <paramref name="commandLine"/> and the environment, not started (its listeners are
    /// opened by <see cref="ServerInstance.OpenListeners"/> before it starts); null, with a line per
    /// bad setting in <paramref name="errors"/>, when a setting does not parse or is out of range.
    /// </summary>
    internal static IHost? Build(ParseResult commandLine, Func<string, string?> environment, List<string> errors)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // The command line is System.CommandLine's (flags with help); appsettings.json is the one next to the binary.
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            Configuration = new ConfigurationManager { ["hostBuilder:reloadConfigOnChange"] = "false" },
        });
        builder.Configuration.AddInMemoryCollection(SettingSources.FromEnvironment(environment, errors));
        builder.Configuration.AddInMemoryCollection(SettingSources.FromCommandLine(commandLine));
        var options = ChatOptionsBinding.Bind(builder.Configuration, errors);
        if (errors.Count == 0 && new ChatOptionsValidation().Validate(null, options) is { Failed: true } invalid)
        {
            // Checked here as well as by ValidateOnStart, which would report it through the host's log with a stack trace.
            errors.Add(invalid.FailureMessage);
        }

        if (errors.Count > 0)
        {
            return null;
        }

        ConfigureLogging(builder, options);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = s_shutdownTimeout);
        builder.Services.AddOptions<ChatServerOptions>().Bind(builder.Configuration.GetSection(ChatSetting.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ChatServerOptions>, ChatOptionsValidation>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServerInstance>();
        builder.Services.AddSupervisionTree((services, cancellation) => services.GetRequiredService<ServerInstance>().StartAsync(cancellation));
        builder.Services.AddHostedService<StartupReport>();
        return builder.Build();
    }

    /// <summary>The line for a start failure that is the operator's to fix (exit code 2), or null.</summary>
    private static string? StartError(Exception exception) => exception switch
    {
        OptionsValidationException invalid => invalid.Failures.First(),
        ListenerBindException bind => bind.Message,
        TlsCertificateException certificate => certificate.Message,
        AggregateException { InnerExceptions: [var single] } => StartError(single),
        _ => null,
    };

    private static void ConfigureLogging(HostApplicationBuilder builder, ChatServerOptions options)
    {
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.LogLevel);
        if (options.LogFormat == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

                // Readable in journald and less: <, >, + and non-ASCII text stay as they are (quotes and controls are still escaped).
                json.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        }

        // Under systemd: Type=notify readiness and, for text, journald's priority prefixes.
        builder.Services.AddSystemd();
        if (options.LogFormat == LogFormat.Json)
        {
            builder.Services.PostConfigure<ConsoleLoggerOptions>(console => console.FormatterName = ConsoleFormatterNames.Json);
        }
    }
}
