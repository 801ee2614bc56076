using System.CommandLine;
using ChatServer.Hosting;
using ChatServer.Network;
using Microsoft.Extensions.Logging;
using Supervision;

// The console entry point: parse options, bind, run the tree until Ctrl+C / SIGTERM or until it gives up.
// Ctrl+C and SIGTERM cancel the token; the graceful stop (client flushes included) gets 30 s before the process is ended.
var parsed = CommandLine.Create(RunAsync).Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("try --help");
    return 2;
}

return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });

static async Task<int> RunAsync(ChatServerOptions options, CancellationToken stopRequested)
{
    try
    {
        options.Validate();
    }
    catch (ArgumentException exception)
    {
        Console.Error.WriteLine($"error: {exception.Message}");
        return 2;
    }

    using var loggers = LoggerFactory.Create(logging => logging
        .SetMinimumLevel(options.LogLevel)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        }));
    var logger = loggers.CreateLogger("ChatServer");

    ChatServerHost host;
    try
    {
        host = await ChatServerHost.StartAsync(options, loggers, stopRequested);
    }
    catch (ListenerBindException exception)
    {
        Console.Error.WriteLine($"error: {exception.Message}");
        return 2;
    }
    catch (ChildStartException exception)
    {
        logger.LogCritical(exception, "the server failed to start: {Reason}", exception.Message);
        return 1;
    }

    Console.WriteLine($"SupervisedChat listening on {host.LocalEndPoint}");
    if (host.IrcEndPoint is { } irc)
    {
        Console.WriteLine($"IRC listening on {irc}");
    }

    if (host.MetricsEndPoint is { } metrics)
    {
        Console.WriteLine($"metrics listening on http://{metrics}");
    }

    Console.WriteLine(await host.RenderTreeAsync());

    return await SupervisionHost.RunAsync(_ => Task.FromResult<IProcess>(host.Root), stopRequested, logger)
        .ContinueWith(async run =>
        {
            await host.StopAsync();
            return run.Result;
        }, TaskScheduler.Default).Unwrap();
}

/// <summary>The chat server's entry point, public so that tests can reach the assembly.</summary>
public partial class Program;
